using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Waymark.Bench.Common;

/// <summary>
/// What the markdown reports share. Each report is a section of <c>docs/benchmarks.md</c>: a <c># </c> heading on its
/// first line, up to the next such heading.
/// </summary>
public static class BenchReport
{
    public static void Line(StringBuilder text, string line = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(line).Append('\n');
    }

    public static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.#} s";

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Percent(double value) => value.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>CPU in cores; "n/a" where it was not measured (PostgreSQL's on SQLite).</summary>
    public static string Cores(double? value) => value is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Latency percentiles in whole milliseconds, in the order given: "p50 / p99 / max".</summary>
    public static string Percentiles(params double[] milliseconds) =>
        string.Join(" / ", milliseconds.Select(ms => ms.ToString("N0", CultureInfo.InvariantCulture)));

    /// <summary>How many runs, to open a sentence saying what each is made of: "1 run" or "3 runs, each".</summary>
    public static string RunsEach(int runs) => runs == 1 ? "1 run" : $"{runs} runs, each";

    /// <summary>The section's opening: its <c># </c> heading, which <see cref="ReplaceSection"/> finds it by, and which
    /// project writes it.</summary>
    public static void Heading(StringBuilder text, string title, string project)
    {
        Line(text, $"# {title}");
        Line(text);
        Line(text, $"Written by `bench/{project}` (see `bench/README.md`); run the command below to refresh it.");
        Line(text);
    }

    /// <summary>The header's closing lines, the circumstances of the run: the machine, each database measured and the
    /// command; then the blank line that ends the header.</summary>
    public static void Circumstances(StringBuilder text, IEnumerable<(string Name, string Description)> databases, string command, string[] args)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(args);
        Line(text, $"- **Machine**: {Environment.ProcessorCount} cores (`nproc`), {MemoryGiB()} GiB memory, {CpuModel()}; " +
            $"{RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}, server GC.");
        foreach (var (name, description) in databases)
        {
            Line(text, $"- **{name}**: {description}.");
        }

        var commandLine = string.Join(' ', [command, .. args.Length > 0 ? ["--", .. args] : Array.Empty<string>()]);
        Line(text, $"- **Command**: `{commandLine}`, on {DateTime.UtcNow:yyyy-MM-dd}.");
        Line(text);
    }

    /// <summary>A table's header and alignment rows: the first column (the database) left, the figures right.</summary>
    public static void TableHeader(StringBuilder text, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Line(text, $"| {string.Join(" | ", columns)} |");
        Line(text, "|---|" + string.Concat(Enumerable.Repeat("---:|", columns.Length - 1)));
    }

    /// <summary>The paragraph on where each database stands against the <paramref name="goal"/> its issue sets: a bullet
    /// per standing.</summary>
    public static void AgainstTheCompass(StringBuilder text, string goal, IEnumerable<string> standings) =>
        BulletList(text, $"**Against the compass** ({goal}):", standings);

    /// <summary>
    /// The paragraph on what limits the figures, as the measurements show it (a bullet per finding, then the runs' notes);
    /// the mechanisms are explained once, in <c>bench/README.md</c>, which it points to. <paramref name="shownBy"/> says
    /// what shows it ("this run shows it"), <paramref name="figures"/> what its figures are, if they need saying.
    /// </summary>
    public static void WhatLimitsIt(StringBuilder text, string shownBy, string? figures, IEnumerable<string> findings) =>
        BulletList(text, $"**What limits it**, as {shownBy} ({(figures is null ? "" : $"{figures}; ")}`bench/README.md` explains the mechanisms):", findings);

    /// <summary>
    /// How busy the machine was over a phase, and with what: "45% busy (0.80 cores in this process, 0.10 in PostgreSQL,
    /// 0.00 in other processes)". Without the <paramref name="machine"/>'s own figure the busy share is this process's and
    /// PostgreSQL's, and other processes go unmentioned.
    /// </summary>
    public static string MachineBusy(double process, double? postgres, double? machine)
    {
        var ours = process + (postgres ?? 0);
        return $"{Percent((machine ?? ours) / Environment.ProcessorCount)} busy ({Cores(process)} cores in this process" +
            $"{(postgres is { } p ? $", {Cores(p)} in PostgreSQL" : "")}" +
            $"{(machine is { } m ? $", {Cores(Math.Max(0, m - ours))} in other processes" : "")})";
    }

    /// <summary>
    /// A sentence on the warnings and errors the gateway logged over <paramref name="phases"/>: the <paramref name="kinds"/>
    /// most frequent kinds, each with its count per phase and its first message, so a reader sees what the runtime
    /// complained about without the logs. <paramref name="gateway"/> opens it ("The gateway", "The gateways"); over more
    /// than one of <paramref name="runs"/> it says so.
    /// </summary>
    public static string Complaints(string gateway, int runs, int kinds, IEnumerable<(string Name, PhaseUse Use)> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var said = phases.SelectMany(p => p.Use.Logs.Select(l => (Phase: p.Name, Log: l))).ToList();
        var over = runs == 1 ? "" : $" over the {runs} runs";
        if (said.Count == 0)
        {
            return $"{gateway} logged no warning or error{over}.";
        }

        var parts = said
            .GroupBy(s => (s.Log.Level, s.Log.Category, s.Log.EventId))
            .OrderByDescending(g => g.Sum(s => s.Log.Count))
            .Take(kinds)
            .Select(g => $"{g.Sum(s => s.Log.Count):N0} × {(g.Key.Level >= LogLevel.Error ? "error" : "warning")} `{ShortCategory(g.Key.Category)}` " +
                $"({string.Join(", ", g.GroupBy(s => s.Phase).Select(p => $"{p.Sum(s => s.Log.Count):N0} {p.Key}"))}), e.g. “{ShortMessage(g.First().Log.First)}”");
        return $"{gateway} logged{over} {string.Join("; ", parts)}.";
    }

    /// <summary>
    /// <paramref name="document"/> with the section that <paramref name="section"/>'s heading (its first line) names
    /// replaced by <paramref name="section"/>, or with it appended; every other section is kept as it is.
    /// </summary>
    public static string ReplaceSection(string document, string section)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(section);
        var heading = section.Split('\n', 2)[0];
        if (!heading.StartsWith("# ", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A section starts with a \"# \" heading, not \"{heading}\".", nameof(section));
        }

        var lines = document.Split('\n').ToList();
        var start = lines.FindIndex(line => line == heading);
        if (start < 0)
        {
            return document.Length == 0 ? section : $"{document.TrimEnd('\n')}\n\n{section}";
        }

        var end = lines.FindIndex(start + 1, line => line.StartsWith("# ", StringComparison.Ordinal));
        var after = end < 0 ? "" : "\n" + string.Join('\n', lines[end..]);
        return string.Join('\n', lines[..start]) + (start > 0 ? "\n" : "") + section + after;
    }

    private static void BulletList(StringBuilder text, string lead, IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Line(text, lead);
        Line(text);
        foreach (var item in items)
        {
            Line(text, $"- {item}");
        }

        Line(text);
    }

    private static string ShortCategory(string category) => category[(category.LastIndexOf('.') + 1)..];

    private static string ShortMessage(string message)
    {
        // Orleans names the activation at length ("[Activation: S127.0.0.1:…#GrainType=…]"): its grain class is enough.
        var line = Regex.Replace(message.ReplaceLineEndings(" "), @"\[Activation: [^\]]*GrainType=([^, \]]+)[^\]]*\]", "[$1]");
        return line.Length <= 160 ? line : line[..157] + "…";
    }

    private static string MemoryGiB() =>
        (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
