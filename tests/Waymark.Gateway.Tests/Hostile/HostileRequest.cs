using System.Text;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>One generated request, and what its answer must show.</summary>
/// <param name="Mutation">What was broken, as <c>family:detail</c> (<c>body:wrong-type</c>, <c>route:id</c>).</param>
/// <param name="Target">The path and query, percent-encoded exactly as sent.</param>
/// <param name="Authorization">The Authorization header as sent; null for none.</param>
/// <param name="Body">Made when sent, so that megabyte bodies are not all held at once.</param>
/// <param name="FieldAtFault">The JSON path of the one field the mutation broke, which a 400 must name.</param>
/// <param name="KestrelMayRefuse">
/// Kestrel refuses a NUL in the path and a request line or headers over its limits itself, with a bodiless 400, 414
/// or 431, before any of the gateway's code runs; such an answer is the only one without problem details allowed.
/// </param>
internal sealed record HostileRequest(
    int Number,
    HostileEndpoint Endpoint,
    string Mutation,
    string Method,
    string Target,
    string? Authorization,
    IReadOnlyDictionary<string, string> Headers,
    Func<byte[]>? Body,
    string? ContentType,
    string? FieldAtFault = null,
    bool KestrelMayRefuse = false)
{
    public string Family => Mutation.Split(':')[0];

    public override string ToString()
    {
        var body = Body?.Invoke();
        var preview = body is null ? "none" : $"{body.Length} bytes {Printable(body.AsSpan(0, Math.Min(body.Length, 160)))}";
        return $"#{Number} {Mutation} on {Endpoint.Name}: {Method} {Shorten(Target)} content-type {ContentType ?? "none"}, "
            + $"authorization {Shorten(Authorization ?? "none")}, body {preview}";
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : $"{text[..200]}… ({text.Length} chars)";

    /// <summary>The bytes as text, with anything not printable ASCII as \xNN so invalid UTF-8 shows.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:X2}");
        }

        return text.ToString();
    }
}
