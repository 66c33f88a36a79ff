using System.Globalization;
using Fluid;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>
/// The one Fluid parser and the one set of options every template uses: both are thread-safe once
/// built and costly to build, so they are shared rather than made per template or per render.
/// </summary>
internal static class Liquid
{
    private static readonly FluidParser Parser = CreateParser();

    public static TemplateOptions Options { get; } = CreateOptions();

    /// <summary>
    /// The parsed template, bounded for rendering, or null with the reason: Fluid's own error (with its
    /// line and column), a filter Fluid does not know, or a source too long or too deeply nested.
    /// </summary>
    public static IFluidTemplate? Parse(string source, out string? error)
    {
        if (source.Length > TemplateLimits.MaxSourceLength)
        {
            error = $"is longer than {TemplateLimits.MaxSourceLength} characters";
            return null;
        }

        if (LiquidNesting.Check(source) is { } tooDeep)
        {
            error = tooDeep;
            return null;
        }

        if (!Parser.TryParse(source, out var template, out var fluidError) || template is null)
        {
            // Fluid appends the offending source line after the position; the path already says where.
            error = $"is not valid Liquid: {FirstLine(fluidError)}";
            return null;
        }

        var unknown = FilterNames.Of(template).FirstOrDefault(name => !Options.Filters.TryGetValue(name, out _));
        if (unknown is not null)
        {
            error = $"uses the filter '{unknown}', which does not exist";
            return null;
        }

        error = null;
        return new LimitRewriter().VisitTemplate(template);
    }

    private static FluidParser CreateParser()
    {
        var parser = new FluidParser();

        // Templates have no files to include; refusing the tags at save time beats failing at send time.
        parser.RegisteredTags.Remove("include");
        parser.RegisteredTags.Remove("render");
        return parser;
    }

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions
        {
            MaxSteps = TemplateLimits.MaxSteps,
            MaxRecursion = TemplateLimits.MaxRecursion,
            StrictFilters = true,
            ModelNamesComparer = StringComparer.Ordinal,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            Assigned = (_, value, _) => new ValueTask<FluidValue>(LimitRewriter.Bounded(value)),
        };
        options.Filters.AddFilter("track", LinkRecorder.Track);
        return options;
    }

    private static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "it does not parse";
        }

        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
