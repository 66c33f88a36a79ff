using System.Text.RegularExpressions;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Fluid 2.41's parser recurses once per nested block, parenthesis, bracket or chained filter and has no
/// depth guard: a few kilobytes of nested <c>{% if %}</c> overflow the stack and end the process, which
/// no catch can stop. This scan mirrors Fluid's lexing (quoted strings with escapes; raw, comment and
/// inline-comment bodies skipped) to refuse such a source before Fluid sees it. It may over-count
/// (a refused template that Fluid would have read), never under-count.
/// </summary>
internal static partial class LiquidNesting
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "if", "unless", "case", "for", "tablerow", "capture", "ifchanged",
    };

    /// <summary>Why the source nests too deeply, or null when it does not.</summary>
    public static string? Check(string source)
    {
        var depth = 0;
        var start = 0;
        while ((start = source.IndexOf('{', start)) >= 0 && start + 1 < source.Length)
        {
            var isTag = source[start + 1] == '%';
            if (!isTag && source[start + 1] != '{')
            {
                start++;
                continue;
            }

            var bodyStart = start + 2;
            var name = isTag ? FirstWord(source.AsSpan(bodyStart)) : "";
            var skipped = name switch
            {
                "raw" => EndRaw().Match(source, bodyStart),
                "comment" => EndComment().Match(source, bodyStart),
                "#" => TagEnd().Match(source, bodyStart),
                _ => null,
            };
            if (skipped is not null)
            {
                start = skipped.Success ? skipped.Index + skipped.Length : source.Length;
                continue;
            }

            var (end, filters, opens) = ScanMarkup(source, bodyStart, isTag ? '%' : '}');
            if (filters > TemplateLimits.MaxFiltersPerExpression)
            {
                return $"chains more than {TemplateLimits.MaxFiltersPerExpression} filters in one expression";
            }

            if (opens > TemplateLimits.MaxNesting)
            {
                return $"has more than {TemplateLimits.MaxNesting} parentheses or brackets in one expression";
            }

            // Inside {% liquid %} every line is a tag of its own.
            var words = name == "liquid"
                ? LiquidBody(source[bodyStart..end]).Split('\n').Select(line => FirstWord(line))
                : [name];
            foreach (var word in words)
            {
                if (Blocks.Contains(word) && ++depth > TemplateLimits.MaxNesting)
                {
                    return $"nests blocks more than {TemplateLimits.MaxNesting} deep";
                }

                if (word.StartsWith("end", StringComparison.Ordinal) && Blocks.Contains(word[3..]))
                {
                    depth = Math.Max(0, depth - 1);
                }
            }

            start = end;
        }

        return null;
    }

    // The end of the markup (after its closing "%}" or "}}") with the '|' and the '(' or '[' it holds
    // outside quoted strings; the end of the source when it is never closed.
    private static (int End, int Filters, int Opens) ScanMarkup(string source, int from, char closer)
    {
        var (filters, opens) = (0, 0);
        for (var i = from; i < source.Length; i++)
        {
            switch (source[i])
            {
                case '\'' or '"':
                    i = EndOfString(source, i);
                    break;
                case '|':
                    filters++;
                    break;
                case '(' or '[':
                    opens++;
                    break;
                case var c when c == closer && i + 1 < source.Length && source[i + 1] == '}':
                    return (i + 2, filters, opens);
            }
        }

        return (source.Length, filters, opens);
    }

    private static int EndOfString(string source, int quoteAt)
    {
        for (var i = quoteAt + 1; i < source.Length; i++)
        {
            if (source[i] == '\\')
            {
                i++;
            }
            else if (source[i] == source[quoteAt])
            {
                return i;
            }
        }

        return source.Length;
    }

    private static string LiquidBody(string markup) => markup[(markup.IndexOf("liquid", StringComparison.Ordinal) + "liquid".Length)..];

    // A tag's name as Fluid reads it: after an optional '-' and white space, '#' or an identifier.
    private static string FirstWord(ReadOnlySpan<char> text)
    {
        text = text.TrimStart('-').TrimStart();
        if (text.StartsWith("#"))
        {
            return "#";
        }

        var length = 0;
        while (length < text.Length && (char.IsAsciiLetterOrDigit(text[length]) || text[length] == '_'))
        {
            length++;
        }

        return text[..length].ToString();
    }

    [GeneratedRegex(@"\{%-?\s*endraw\s*-?%\}")]
    private static partial Regex EndRaw();

    [GeneratedRegex(@"\{%-?\s*endcomment\s*-?%\}")]
    private static partial Regex EndComment();

    [GeneratedRegex(@"-?%\}")]
    private static partial Regex TagEnd();
}
