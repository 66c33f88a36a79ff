using System.Globalization;

namespace Waymark.Drills.Common;

/// <summary>How a drill reads its command line: <c>--name value</c> pairs, in order, each applied to the options so far.</summary>
public static class DrillArguments
{
    /// <summary>
    /// The options <paramref name="args"/> name, from <paramref name="defaults"/> on; <paramref name="apply"/> gives the
    /// options with one more applied, or null for a name it does not know. Throws <see cref="ArgumentException"/> with
    /// the reason for a bad one.
    /// </summary>
    /// <param name="numbers">How the options' whole numbers are read (<see cref="DrillOption.Number"/>).</param>
    public static TOptions Parse<TOptions>(IReadOnlyList<string> args, TOptions defaults, NumberStyles numbers, Func<TOptions, DrillOption, TOptions?> apply)
        where TOptions : class
    {
        var options = defaults;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = apply(options, new DrillOption(name, value, numbers)) ?? throw new ArgumentException($"Unknown option {name}.");
        }

        return options;
    }
}

/// <summary>One <c>--name value</c> pair of a drill's command line, with the readings of its value that say what is wrong with it.</summary>
/// <param name="Numbers">How its whole numbers are read: the crash drill's may carry a sign (its seed may be negative), the failover drill's may not.</param>
public readonly record struct DrillOption(string Name, string Value, NumberStyles Numbers)
{
    /// <summary>The value as a whole number of at least <paramref name="min"/>; else throws <see cref="ArgumentException"/>.</summary>
    public int Number(int min) =>
        int.TryParse(Value, Numbers, CultureInfo.InvariantCulture, out var number) && number >= min
            ? number
            : throw new ArgumentException($"{Name} takes a whole number of at least {min}, not '{Value}'.");

    /// <summary>The value as whole seconds, at least <paramref name="min"/>.</summary>
    public TimeSpan Seconds(int min) => TimeSpan.FromSeconds(Number(min));
}
