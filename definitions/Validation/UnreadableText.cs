using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Waymark.Definitions.Validation;

/// <summary>
/// Finds strings that JSON can carry but .NET cannot read: an escaped lone surrogate (<c>"\uD800"</c>) or
/// bytes that are not UTF-8 parse, yet reading them as a string or field name throws. Every public reader
/// checks its input here first, so the reading behind it (<see cref="ObjectReader"/>, <c>GetString</c>,
/// field names) never meets one.
/// </summary>
public static class UnreadableText
{
    /// <summary>
    /// Reports each unreadable string or field name in <paramref name="element"/> (at
    /// <paramref name="path"/>) to <paramref name="problems"/>; true when there is none.
    /// </summary>
    public static bool Check(JsonElement element, string path, Problems problems)
    {
        if (!MayBeUnreadable(JsonMarshal.GetRawUtf8Value(element)))
        {
            return true;
        }

        var before = problems.Count;
        Visit(element, path, problems);
        return problems.Count == before;
    }

    // Entered only where the raw text may be unreadable, so a clean document costs a pass or two over its
    // bytes and no strings. Recursion is bounded by the document's nesting, which JsonDocument caps.
    private static void Visit(JsonElement element, string path, Problems problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !Reads(() => element.GetString()):
                problems.Add(path, $"is not text: {Reason(JsonMarshal.GetRawUtf8Value(element))}");
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (MayBeUnreadable(JsonMarshal.GetRawUtf8Value(item)))
                    {
                        Visit(item, JsonPath.Index(path, index), problems);
                    }

                    index++;
                }

                break;
            case JsonValueKind.Object:
                var position = 1;
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (MayBeUnreadable(name) && !Reads(() => property.Name))
                    {
                        // A name that cannot be read cannot be written in a path: say which field it is.
                        problems.Add(path, $"field {position} has a name that is not text: {Reason(name)}");
                    }
                    else if (MayBeUnreadable(JsonMarshal.GetRawUtf8Value(property.Value)))
                    {
                        Visit(property.Value, JsonPath.Property(path, property.Name), problems);
                    }

                    position++;
                }

                break;
        }
    }

    // Every unreadable text is invalid UTF-8 or escapes a surrogate; most text is neither.
    private static bool MayBeUnreadable(ReadOnlySpan<byte> json) => !Utf8.IsValid(json) || EscapesSurrogate(json);

    private static string Reason(ReadOnlySpan<byte> json) =>
        Utf8.IsValid(json) ? "it has an unpaired UTF-16 surrogate escape such as \\uD800" : "it is not valid UTF-8";

    // Whether the raw JSON has an escape \uD800 to \uDFFF (paired or not: the reading tells).
    private static bool EscapesSurrogate(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOf("\\u"u8); at >= 0; at = json.IndexOf("\\u"u8))
        {
            json = json[(at + 2)..];
            if (json is [var first, var second, ..] && (first | 0x20) == 'd' && (second is (byte)'8' or (byte)'9' || (second | 0x20) is >= 'a' and <= 'f'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Reads(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
