using System.Data.Common;
using System.Globalization;

namespace Waymark.Storage.Tests.Support;

internal static class DatabaseQueries
{
    /// <summary>Each row of <paramref name="sql"/> as its values joined by '|', in the order returned.</summary>
    public static async Task<List<string>> ReadRowsAsync(this WaymarkDatabase database, string sql)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount)
                .Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            rows.Add(string.Join('|', values));
        }

        return rows;
    }

    public static async Task<string> QueryTextAsync(this WaymarkDatabase database, string queryKey)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{queryKey}'";
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"OrleansQuery has no {queryKey}.");
    }

    /// <summary>Runs a stored query the way Orleans' RelationalStorage does: named parameters without a prefix.</summary>
    public static async Task<int> ExecuteStoredQueryAsync(this WaymarkDatabase database, string queryKey, Action<DbCommand> addParameters)
    {
        var queryText = await database.QueryTextAsync(queryKey);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        addParameters(command);
        command.CommandText = queryText;
        return await command.ExecuteNonQueryAsync();
    }

    public static void AddParameter(this DbCommand command, string name, object? value, System.Data.DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
    }
}
