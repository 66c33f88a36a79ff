using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Npgsql;
using NpgsqlTypes;

namespace Waymark.Storage.Sql;

/// <summary>
/// How one database binds and reads the values Waymark's own tables share, and how a SELECT takes at most n rows.
/// Times are stored to the microsecond in UTC the same way in every table of a database, so the customer log's
/// <c>at</c> and the timer wheel's <c>due</c> are one representation.
/// </summary>
internal abstract class SqlValues
{
    public static SqlValues For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteValues(),
        StorageProvider.Postgres => new PostgresValues(),
        StorageProvider.SqlServer => new SqlServerValues(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>Put in front of a SELECT's columns to take at most <paramref name="count"/> rows (SQL Server).</summary>
    public virtual string Top(string count) => "";

    /// <summary>Put after a SELECT's ORDER BY to take at most <paramref name="count"/> rows (the others).</summary>
    public virtual string Limit(string count) => $" LIMIT {count}";

    /// <summary>The aggregate that counts a SELECT's rows as a 64-bit integer.</summary>
    public virtual string CountRows => "COUNT(*)";

    public abstract void AddTime(DbCommand command, string name, DateTimeOffset value);

    public abstract DateTimeOffset GetTime(DbDataReader reader, int ordinal);

    public virtual void AddText(DbCommand command, string name, string value) => Add(command, name, value, DbType.String);

    public static void Add(DbCommand command, string name, object value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Binds each value as <paramref name="prefix"/>0, 1, ... and returns the list of their names.</summary>
    public string AddTexts(DbCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = $"{prefix}{names.Count}";
            AddText(command, name, value);
            names.Add(name);
        }

        return string.Join(", ", names);
    }

    /// <summary>The UTC ticks of <paramref name="value"/> with the sub-microsecond digit dropped: every database then
    /// stores the same instant exactly, where each would otherwise round or truncate in its own way.</summary>
    public static long UtcMicrosecondTicks(DateTimeOffset value) => value.UtcTicks - value.UtcTicks % 10;
}

/// <summary>Times are INTEGER microseconds since the Unix epoch, UTC: exact, and ordered as numbers.</summary>
internal sealed class SqliteValues : SqlValues
{
    public static long UnixMicroseconds(DateTimeOffset value) => (UtcMicrosecondTicks(value) - DateTime.UnixEpoch.Ticks) / 10;

    public override void AddTime(DbCommand command, string name, DateTimeOffset value) =>
        Add(command, name, UnixMicroseconds(value), DbType.Int64);

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) =>
        new(DateTime.UnixEpoch.Ticks + reader.GetInt64(ordinal) * 10, TimeSpan.Zero);
}

/// <summary>Times are timestamptz, which keeps microseconds.</summary>
internal sealed class PostgresValues : SqlValues
{
    // Npgsql writes timestamptz from a UTC DateTime only.
    public static DateTime Utc(DateTimeOffset value) => new(UtcMicrosecondTicks(value), DateTimeKind.Utc);

    public override void AddTime(DbCommand command, string name, DateTimeOffset value) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter<DateTime>(name, NpgsqlDbType.TimestampTz) { TypedValue = Utc(value) });

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) =>
        new(reader.GetFieldValue<DateTime>(ordinal).Ticks, TimeSpan.Zero);
}

/// <summary>Times are DATETIME2(6) in UTC.</summary>
internal sealed class SqlServerValues : SqlValues
{
    // SQL Server's limit for a string parameter that is not (max): declaring every one with it keeps one cached plan
    // per statement instead of one per parameter length.
    private const int TextParameterSize = 4000;

    public static DateTime Utc(DateTimeOffset value) => new(UtcMicrosecondTicks(value), DateTimeKind.Utc);

    public override string Top(string count) => $"TOP ({count}) ";

    public override string Limit(string count) => "";

    // COUNT(*) is an INT here, and fails past 2^31 - 1 rows.
    public override string CountRows => "COUNT_BIG(*)";

    public override void AddText(DbCommand command, string name, string value) =>
        ((SqlCommand)command).Parameters.Add(new SqlParameter(name, SqlDbType.NVarChar, TextParameterSize) { Value = value });

    public override void AddTime(DbCommand command, string name, DateTimeOffset value) =>
        ((SqlCommand)command).Parameters.Add(new SqlParameter(name, SqlDbType.DateTime2) { Scale = 6, Value = Utc(value) });

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) => new(reader.GetDateTime(ordinal).Ticks, TimeSpan.Zero);
}
