using System.Globalization;

namespace Waymark.Bench.Common;

/// <summary>
/// What every benchmark's settings share: the databases to measure, and reading the command line as pairs of
/// <c>--name value</c>. Each benchmark derives its own record with the shape of its load.
/// </summary>
public abstract record BenchSettings
{
    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>all</c>.</summary>
    public string Database { get; init; } = "all";

    public bool Includes(string database) => Database == "all" || Database == database;

    /// <summary>
    /// The defaults of <typeparamref name="TSettings"/> with every <c>--name value</c> of <paramref name="args"/> set:
    /// <c>--database</c> here, any other through <paramref name="option"/>, which returns null for a name it does not
    /// know; <paramref name="options"/> lists those names for the error.
    /// </summary>
    protected static TSettings ParseArguments<TSettings>(string[] args, string options, Func<TSettings, string, string, TSettings?> option)
        where TSettings : BenchSettings, new()
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(option);
        var settings = new TSettings();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = (args[i] == "--database" && value is "sqlite" or "postgres" or "all"
                    ? (TSettings)(settings with { Database = value })
                    : option(settings, args[i], value))
                ?? throw new ArgumentException($"Unknown option {args[i]}; known: --database sqlite|postgres|all, {options}.");
        }

        return settings;
    }

    protected static int Number(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    protected static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
