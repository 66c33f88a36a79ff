using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

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

    /// <summary>The header's closing lines, the circumstances of the run: the machine, each database measured and the
    /// command.</summary>
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

    private static string MemoryGiB() =>
        (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
