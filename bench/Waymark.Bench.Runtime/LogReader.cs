using System.Data.Common;
using System.Text.Json;
using Waymark.Bench.Common;
using Waymark.Storage;

namespace Waymark.Bench.Runtime;

/// <summary>One journey item of the customer log: whose, when (business time, as the round stamped it) and its payload.</summary>
internal sealed record LoggedItem(int Customer, DateTimeOffset At, JsonElement Payload)
{
    public string? Text(string property) => Payload.TryGetProperty(property, out var value) ? value.GetString() : null;
}

/// <summary>
/// Reads what the runtime did from <c>waymark_customer_log</c> after a load, with plain SQL: every <c>moved</c> item
/// and <c>message</c> item carries the time of the round that wrote it, which gives exact rates and lateness without
/// relying on the statistics' one-second flush.
/// </summary>
internal static class LogReader
{
    /// <summary>The benchmark customers' items of <paramref name="kind"/> in <paramref name="journey"/>.</summary>
    public static async Task<List<LoggedItem>> ItemsAsync(WaymarkDatabase database, string kind, string journey)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT customer_key, at, payload FROM waymark_customer_log WHERE workspace = 'default' AND kind = @kind";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "kind";
        parameter.Value = kind;
        command.Parameters.Add(parameter);
        command.CommandTimeout = 300;
        var items = new List<LoggedItem>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var customer = EventLoad.CustomerOf(reader.GetString(0));
            if (customer < 0)
            {
                continue;
            }

            using var payload = JsonDocument.Parse(reader.GetString(2));
            if (payload.RootElement.TryGetProperty("journey", out var of) && of.GetString() == journey)
            {
                items.Add(new LoggedItem(customer, BenchDatabase.LogTime(reader.GetValue(1)), payload.RootElement.Clone()));
            }
        }

        return items;
    }
}
