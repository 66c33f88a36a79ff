using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// Everything a request could change: every row of every table of the node's database (grain state with its
/// version, the customer log, segment members, counters, timers, reminders), and the workspace as the API shows it.
/// Only the cluster membership rows are left out: silos rewrite them on their own every few seconds.
/// </summary>
internal sealed class StateSnapshot
{
    private static readonly string[] Views =
    [
        "/api/keys", "/api/workspace/settings", "/api/channels", "/api/journeys", $"/api/journeys/{HostileWorkspace.Journey}", "/api/segments",
        $"/api/segments/{HostileWorkspace.Segment}", "/api/templates", $"/api/customers/{HostileWorkspace.Customer}",
        $"/api/customers/{HostileWorkspace.Customer}/timeline", $"/api/customers/{HostileWorkspace.OtherCustomer}",
    ];

    private readonly SortedDictionary<string, string> parts;

    private StateSnapshot(SortedDictionary<string, string> parts) => this.parts = parts;

    public static async Task<StateSnapshot> TakeAsync(string databaseFile, HostileWorkspace workspace)
    {
        var parts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var table in await TablesAsync(connection))
            {
                parts[$"table {table}"] = await RowsAsync(connection, table);
            }
        }

        foreach (var view in Views)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, view);
            request.Headers.Authorization = workspace.Credentials("admin");
            using var response = await workspace.Http.SendAsync(request);
            parts[$"GET {view}"] = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }

        return new StateSnapshot(parts);
    }

    /// <summary>What differs from <paramref name="other"/>, a line per part; empty when nothing does.</summary>
    public IReadOnlyList<string> Differences(StateSnapshot other) =>
        [.. parts.Keys.Union(other.parts.Keys).Where(key => parts.GetValueOrDefault(key) != other.parts.GetValueOrDefault(key))
            .Select(key => $"{key}: {Shorten(parts.GetValueOrDefault(key))} → {Shorten(other.parts.GetValueOrDefault(key))}")];

    private static async Task<List<string>> TablesAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'OrleansMembership%' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The table's rows as sorted lines of text, blobs as their SHA-256.</summary>
    private static async Task<string> RowsAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                byte[] blob => Convert.ToHexString(SHA256.HashData(blob)),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            })));
        }

        rows.Sort(StringComparer.Ordinal);
        return $"{rows.Count} rows\n" + string.Join('\n', rows);
    }

    private static string Shorten(string? text) => text is null ? "(none)"
        : text.Length <= 2000 ? text
        : text[..2000] + $"… ({Encoding.UTF8.GetByteCount(text)} bytes)";
}
