using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Waymark.Definitions.Validation;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// Makes hostile requests from valid ones (<see cref="EndpointSample"/>): each breaks one thing — the body's syntax, a
/// field's type, size or bytes, the nesting, a member, the content type, a route value, a query value, the
/// credentials or the method — and keeps the rest valid, so that the part under test is the one the gateway checks.
/// A systematic pass breaks every part of every endpoint in every way; a seeded random pass adds more of the same
/// families with random sizes, depths, characters and positions. The same seed gives the same requests.
/// </summary>
internal sealed class HostileGenerator
{
    /// <summary>Over Kestrel's 8 KB request line it answers 414 itself.</summary>
    private const int KestrelRequestLineLimit = 8 * 1024;

    /// <summary>Longer than any text field takes (templates take 256 KB per field), shorter than the 1 MB body limit.</summary>
    private const int HugeStringLength = 300 * 1024;

    /// <summary>The customer log's keys hold 256 characters, a customer id 254 of them after its prefix.</summary>
    private const int MaxLogKeyLength = 254;

    /// <summary>
    /// A body an endpoint does not read is drained by Kestrel after the answer, up to the body limit; beyond it Kestrel
    /// closes the connection while the client is still sending, and the client never sees the answer.
    /// </summary>
    private const int UnreadBodyLimit = 900 * 1024;

    private const string Json = "application/json";

    private static readonly string[] Malformed =
    [
        "{", "}", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "{a: 1}", "[1,,2]", "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} trailing", "nul",
        "tru", "NaN", "Infinity", "-", "01", "1.", ".5", "\"unterminated", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":\"tab\tinside\"}", "/* comment */ {}", "{\"a\":1 // comment\n}", "\0", "{\"a\":1}\0", "\uFEFF{", "{\"a\"::1}",
        "[}", "{]", "{\"a\":[1}", "{\"a\":1,\"b\"}", "{\"\\uD800\":", "\"\\", "{\"a\":\"\\uDC00\\uD800", "{{}}",
    ];

    private static readonly string[] WrongRoots = ["null", "[]", "\"text\"", "0", "-1.5e300", "true", ""];

    /// <summary>Byte sequences that are not UTF-8: a stray continuation, an overlong '/', a surrogate, a cut sequence, bytes no UTF-8 has.</summary>
    private static readonly byte[][] NotUtf8 = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF, 0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80]];

    private static readonly string[] WrongContentTypes =
        ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=hostile", "application/octet-stream", ""];

    /// <summary>
    /// Odd route values, percent-encoded as sent: traversal, NUL, bytes that are not UTF-8, unicode, injection, very long.
    /// None is a valid journey, segment or template id, which any of these ids would create.
    /// </summary>
    private static readonly string[] OddIds =
    [
        "..%2F..", "..%2F..%2F..%2Fetc%2Fpasswd", "%2E%2E%2F%2E%2E%2Fapi%2Fkeys", "%2E%2E", "%2E", "..%5C..%5Cwindows", "a%00b", "%00",
        "%FF%FE%FD", "%C0%AF", "%ED%A0%80", "%E2%98%83", "%F0%9F%92%A9", "%E2%80%AEevil", "%EF%BB%BFbom", "%20%20", "%09", "%0D%0A",
        "%25", "%252e%252e%252f", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%27%20OR%201%3D1--", "%7Bid%7D", "-1", "CON", "%3F", "%23",
        ";", "~", "A", new string('x', 300), new string('x', 5000), Repeat("%C3%A9", 1000),
        new string('x', 9000),
    ];

    /// <summary>Ids no customer can have (blank, longer than the 254 characters a customer id has): the only hostile ones where any text is an id.</summary>
    private static readonly string[] InvalidFreeTextIds = ["%20%20", "%09", new string('x', 255), new string('x', 5000)];

    private static readonly string[] OddQueryValues =
    [
        "", "abc", "-1", "0", "1.5", "1e3", "99999999999999999999", "NaN", "%00", "%FF%FE", "%E2%98%83", new string('x', 4000), "true",
        "%5B%5D", "%7B%7D", "2024-02-30T00:00:00Z", "0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "P99999999Y", "PT0S",
        "-PT1H", "PT1H%00", "%20", "a,b,,,c", Repeat("t,", 200),
    ];

    private static readonly string[] MangledCredentials =
    [
        "Bearer " + new string('A', 10_000), "Bearer wk_not-a-key", "Bearer", "Bearer  ", "Basic !!!not-base64", "Basic " + Convert.ToBase64String([0xFF, 0xFE, 0x3A]),
        "Basic " + Convert.ToBase64String(":"u8), "Digest username=\"x\"", "Bearer ak_%00", "Basic", "Bearer a b c",
    ];

    /// <summary>Over Kestrel's 32 KB of request headers it answers 431 itself.</summary>
    private static readonly string OversizedCredentials = "Bearer " + new string('A', 40_000);

    private static readonly string[] OddMemberNames = ["hostileUnknown", "__proto__", "$type", "", "constructor", "\u00e9\u00e8", "\u0000", new string('n', 1000)];

    private static readonly string[] UnmappedMethods = ["PROPFIND", HttpMethods.Options, HttpMethods.Patch];

    private readonly Random random;
    private readonly HostileWorkspace workspace;
    private readonly IReadOnlyList<HostileEndpoint> endpoints;
    private readonly IReadOnlyDictionary<string, EndpointSample> samples;
    private readonly ILookup<string, string> methodsByTemplate;

    public HostileGenerator(int seed, HostileWorkspace workspace, IReadOnlyList<HostileEndpoint> endpoints, IReadOnlyDictionary<string, EndpointSample> samples)
    {
        random = new Random(seed);
        this.workspace = workspace;
        this.endpoints = endpoints;
        this.samples = samples;
        methodsByTemplate = endpoints.ToLookup(e => e.Pattern.RawText!, e => e.Method, StringComparer.Ordinal);
    }

    /// <summary>The systematic pass, then random requests over the endpoints in turn until there are <paramref name="total"/>.</summary>
    public IReadOnlyList<HostileRequest> Generate(int total)
    {
        var requests = endpoints.SelectMany(Systematic).ToList();
        for (var i = 0; requests.Count < total; i++)
        {
            requests.Add(Randomly(endpoints[i % endpoints.Count]));
        }

        return [.. requests.Select((request, index) => request with { Number = index + 1 })];
    }

    private IEnumerable<HostileRequest> Systematic(HostileEndpoint endpoint)
    {
        var sample = SampleOf(endpoint);
        var valid = Valid(endpoint, sample);
        if (endpoint.Body is not null && sample.Body is not null)
        {
            var body = Encoding.UTF8.GetBytes(sample.Body);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.Clone();
            foreach (var text in Malformed)
            {
                yield return WithBody(valid, "body:malformed", () => Encoding.UTF8.GetBytes(text));
            }

            foreach (var text in WrongRoots.Where(text => !endpoint.Body.IsOptional || text is not ("" or "null")))
            {
                yield return WithBody(valid, "body:wrong-root", () => Encoding.UTF8.GetBytes(text));
            }

            foreach (var length in new[] { 1, body.Length / 2, body.Length - 1 })
            {
                yield return WithBody(valid, "body:truncated", () => body[..length]);
            }

            var index = 0;
            foreach (var (path, value) in JsonEdit.Values(root, sample.FreeObjects))
            {
                foreach (var raw in WrongTypes(value.ValueKind, sample.NumbersToo.Contains(path)))
                {
                    yield return Edited(valid, "body:wrong-type", root, new JsonEdit.Replace(path, () => raw), path);
                }

                if (value.ValueKind == JsonValueKind.String && !sample.UnboundedTexts.Contains(path))
                {
                    yield return Edited(valid, "body:huge-string", root, new JsonEdit.Replace(path, () => HugeString(HugeStringLength)), path);
                }

                if (sample.LogKeys.Contains(path))
                {
                    yield return Edited(valid, "body:log-key", root, new JsonEdit.Replace(path, () => "\"a\\u0000b\""u8.ToArray()), path);
                    yield return Edited(valid, "body:log-key", root, new JsonEdit.Replace(path, () => HugeString(MaxLogKeyLength + 1)), path);
                }

                if (value.ValueKind == JsonValueKind.String)
                {
                    yield return Edited(valid, "body:escaped-surrogate", root, new JsonEdit.Replace(path, () => "\"\\ud800x\""u8.ToArray()), path);
                    var notUtf8 = NotUtf8[index++ % NotUtf8.Length];
                    yield return Edited(valid, "body:invalid-utf8", root, new JsonEdit.Replace(path, () => NotUtf8String(notUtf8)), null);
                }

                yield return Edited(valid, "body:deep", root, new JsonEdit.Replace(path, () => Deep(5000, '[')), null);
                if (value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var edit in ObjectEdits(path, value, sample, OddMemberNames[0]))
                    {
                        yield return Edited(valid, edit.Mutation, root, edit.Edit, edit.Mutation == "body:unknown-member" ? edit.Field : null);
                    }
                }
            }

            yield return WithBody(valid, "body:deep", () => Deep(3000, '{'));
            yield return Edited(valid, "body:invalid-utf8", root, new JsonEdit.AddMember(JsonPath.Root, NotUtf8String([0xFF, 0xFE]), "1"u8.ToArray()), null);
            yield return WithBody(valid, "body:huge", () => HugeBody(1536 * 1024));
            if (!endpoint.TakesAnyContentType)
            {
                foreach (var contentType in WrongContentTypes)
                {
                    yield return valid with { Mutation = $"content-type:{(contentType.Length == 0 ? "none" : contentType)}", ContentType = contentType.Length == 0 ? null : contentType };
                }
            }
        }
        else if (endpoint.IsSafe)
        {
            // A GET reads no body: one sent anyway must change nothing.
            yield return WithBody(valid, "unexpected-body:malformed", () => "{\"a\":"u8.ToArray());
            yield return WithBody(valid, "unexpected-body:deep", () => Deep(5000, '['));
            yield return WithBody(valid, "unexpected-body:huge", () => HugeBody(UnreadBodyLimit));
        }

        foreach (var parameter in endpoint.Pattern.Parameters)
        {
            foreach (var id in sample.CreatesOnUnknownId ? InvalidFreeTextIds : OddIds)
            {
                yield return WithRoute(endpoint, sample, valid, parameter.Name, id);
            }
        }

        foreach (var parameter in endpoint.QueryParameters)
        {
            foreach (var value in OddQueryValues)
            {
                yield return WithQuery(endpoint, sample, valid, parameter, value);
            }

            yield return valid with { Mutation = $"query:{parameter}", Target = Target(endpoint, sample, query: Query(sample, parameter, null) + $"&{parameter}=1&{parameter}=2"), FieldAtFault = parameter };
        }

        if (endpoint.IsSafe)
        {
            yield return valid with { Mutation = "query:unknown", Target = Target(endpoint, sample, query: Query(sample) + "&__proto__=1&%00=%00&x%5B%5D=%FF&" + new string('q', 2000) + "=1") };
        }

        foreach (var credentials in MangledCredentials)
        {
            yield return valid with { Mutation = "auth:mangled", Authorization = credentials };
        }

        yield return valid with { Mutation = "auth:oversized", Authorization = OversizedCredentials, KestrelMayRefuse = true };
        foreach (var method in UnmappedMethods.Where(m => !methodsByTemplate[endpoint.Pattern.RawText!].Contains(m, StringComparer.Ordinal)))
        {
            yield return valid with { Mutation = $"method:{method}", Method = method, Body = null, ContentType = null };
        }
    }

    /// <summary>One request of a family the endpoint has, with random position, size, depth and characters.</summary>
    private HostileRequest Randomly(HostileEndpoint endpoint)
    {
        var sample = SampleOf(endpoint);
        var valid = Valid(endpoint, sample);
        var families = new List<Func<HostileRequest>>
        {
            () => valid with { Mutation = "auth:mangled", Authorization = RandomCredentials() },
        };
        if (endpoint.Body is not null && sample.Body is not null)
        {
            var body = Encoding.UTF8.GetBytes(sample.Body);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.Clone();
            var values = JsonEdit.Values(root, sample.FreeObjects).ToList();
            var strings = values.Where(v => v.Value.ValueKind == JsonValueKind.String).Select(v => v.Path).ToList();
            var boundedStrings = strings.Where(path => !sample.UnboundedTexts.Contains(path)).ToList();
            var objects = values.Where(v => v.Value.ValueKind == JsonValueKind.Object).ToList();
            families.Add(() =>
            {
                var length = random.Next(1, body.Length);
                return WithBody(valid, "body:truncated", () => body[..length]);
            });
            families.Add(() =>
            {
                var malformed = RandomMalformed();
                return WithBody(valid, "body:malformed", () => malformed);
            });
            families.Add(() =>
            {
                var (path, value) = Pick(values);
                var wrong = WrongTypes(value.ValueKind, sample.NumbersToo.Contains(path)).ToList();
                var raw = Pick(wrong);
                return Edited(valid, "body:wrong-type", root, new JsonEdit.Replace(path, () => raw), path);
            });
            families.Add(() =>
            {
                var (path, _) = Pick(values);
                var opener = random.Next(2) == 0 ? '[' : '{';
                var depth = random.Next(65, 20_000);
                return Edited(valid, "body:deep", root, new JsonEdit.Replace(path, () => Deep(depth, opener)), null);
            });
            families.Add(() =>
            {
                var size = random.Next(1024 * 1024 + 1, 10 * 1024 * 1024);
                return WithBody(valid, "body:huge", () => HugeBody(size));
            });
            if (boundedStrings.Count > 0)
            {
                families.Add(() =>
                {
                    var path = Pick(boundedStrings);
                    return Edited(valid, "body:huge-string", root, new JsonEdit.Replace(path, RandomHugeString()), path);
                });
            }

            if (strings.Count > 0)
            {
                families.Add(() =>
                {
                    var path = Pick(strings);
                    var notUtf8 = Pick(NotUtf8);
                    return Edited(valid, "body:invalid-utf8", root, new JsonEdit.Replace(path, () => NotUtf8String(notUtf8)), null);
                });
            }

            if (objects.Count > 0)
            {
                families.Add(() =>
                {
                    var (path, value) = Pick(objects);
                    var edits = ObjectEdits(path, value, sample, Pick(OddMemberNames)).ToList();
                    if (edits.Count == 0)
                    {
                        var malformed = RandomMalformed();
                        return WithBody(valid, "body:malformed", () => malformed);
                    }

                    var (mutation, edit, field) = Pick(edits);
                    return Edited(valid, mutation, root, edit, mutation == "body:unknown-member" ? field : null);
                });
            }
        }

        if (endpoint.Pattern.Parameters.Count > 0)
        {
            families.Add(() => WithRoute(endpoint, sample, valid, Pick(endpoint.Pattern.Parameters).Name, RandomId(sample.CreatesOnUnknownId)));
        }

        if (endpoint.QueryParameters.Count > 0)
        {
            families.Add(() => WithQuery(endpoint, sample, valid, Pick(endpoint.QueryParameters), random.Next(3) == 0 ? RandomEncoded(random.Next(1, 300)) : Pick(OddQueryValues)));
        }

        return Pick(families)();
    }

    /// <summary>The request the endpoint's hostile ones are made from, unbroken.</summary>
    public HostileRequest Valid(HostileEndpoint endpoint) => Valid(endpoint, SampleOf(endpoint));

    private EndpointSample SampleOf(HostileEndpoint endpoint) => samples.GetValueOrDefault(endpoint.Name) ?? new EndpointSample();

    private HostileRequest Valid(HostileEndpoint endpoint, EndpointSample sample)
    {
        var body = sample.Body is null || endpoint.Body is null ? null : Encoding.UTF8.GetBytes(sample.Body);
        return new HostileRequest(
            0, endpoint, "valid", endpoint.Method, Target(endpoint, sample, query: Query(sample)),
            workspace.Credentials(endpoint.Role).ToString(), sample.Headers, body is null ? null : () => body, body is null ? null : Json);
    }

    private static HostileRequest WithBody(HostileRequest valid, string mutation, Func<byte[]> body) =>
        valid with { Mutation = mutation, Body = body, ContentType = Json };

    private static HostileRequest Edited(HostileRequest valid, string mutation, JsonElement root, JsonEdit edit, string? field) =>
        valid with { Mutation = mutation, Body = () => edit.Apply(root), ContentType = Json, FieldAtFault = field };

    private static HostileRequest WithRoute(HostileEndpoint endpoint, EndpointSample sample, HostileRequest valid, string parameter, string value)
    {
        var target = Target(endpoint, sample, query: Query(sample), (parameter, value));
        return valid with
        {
            Mutation = $"route:{parameter}",
            Target = target,
            KestrelMayRefuse = value.Contains("%00", StringComparison.Ordinal) || target.Length > KestrelRequestLineLimit - 100,
        };
    }

    private static HostileRequest WithQuery(HostileEndpoint endpoint, EndpointSample sample, HostileRequest valid, string parameter, string value) =>
        valid with { Mutation = $"query:{parameter}", Target = Target(endpoint, sample, query: Query(sample, parameter, value)), FieldAtFault = parameter };

    /// <summary>Ways to break an object: a member it does not know (unless it takes any), a member twice.</summary>
    private static IEnumerable<(string Mutation, JsonEdit Edit, string Field)> ObjectEdits(string path, JsonElement value, EndpointSample sample, string name)
    {
        if (!sample.OpenObjects.Contains(path) && !sample.FreeObjects.Contains(path))
        {
            yield return ("body:unknown-member", new JsonEdit.AddMember(path, JsonSerializer.SerializeToUtf8Bytes(name), "1"u8.ToArray()), JsonPath.Property(path, name));
        }

        if (value.EnumerateObject().Select(member => member.Name).FirstOrDefault() is { } first)
        {
            yield return ("body:duplicate-member", new JsonEdit.DuplicateFirst(path), JsonPath.Property(path, first));
        }
    }

    /// <summary>Values of every other JSON type; never null, which many fields take for "absent".</summary>
    private static IEnumerable<byte[]> WrongTypes(JsonValueKind kind, bool numbersToo)
    {
        var all = new Dictionary<JsonValueKind, string>
        {
            [JsonValueKind.String] = "\"12\"",
            [JsonValueKind.Number] = "12345",
            [JsonValueKind.True] = "true",
            [JsonValueKind.Array] = "[]",
            [JsonValueKind.Object] = "{}",
        };
        var own = kind == JsonValueKind.False ? JsonValueKind.True : kind;
        return all.Where(t => t.Key != own && !(numbersToo && t.Key == JsonValueKind.Number)).Select(t => Encoding.UTF8.GetBytes(t.Value));
    }

    /// <summary>The path (route values replaced) and query of a request to the endpoint.</summary>
    private static string Target(HostileEndpoint endpoint, EndpointSample sample, string query, (string Name, string Value)? route = null)
    {
        var path = new StringBuilder();
        foreach (var segment in endpoint.Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter when route?.Name == parameter.Name => route.Value.Value,
                    RoutePatternParameterPart parameter => sample.Route.GetValueOrDefault(parameter.Name, "hostile"),
                    _ => throw new InvalidOperationException($"Unexpected route part in {endpoint.Name}."),
                });
            }
        }

        if (path.Length == 0 || endpoint.Pattern.RawText!.EndsWith('/'))
        {
            path.Append('/');
        }

        return query.Length == 0 ? path.ToString() : $"{path}?{query.TrimStart('&')}";
    }

    /// <summary>The sample's query, with one parameter set to a value (or left out, for null).</summary>
    private static string Query(EndpointSample sample, string? parameter = null, string? value = null)
    {
        var query = sample.Query.Where(p => p.Key != parameter).Select(p => $"{p.Key}={p.Value}").ToList();
        if (parameter is not null && value is not null)
        {
            query.Add($"{parameter}={value}");
        }

        return string.Join('&', query);
    }

    private static byte[] HugeString(int count, string piece = "x") => Encoding.UTF8.GetBytes($"\"{Repeat(piece, count)}\"");

    /// <summary>
    /// A string of <see cref="HugeStringLength"/> characters or more, of one piece (plain, accented, astral, escaped quote,
    /// blank, bidi override), that still fits the body limit so that it reaches validation.
    /// </summary>
    private Func<byte[]> RandomHugeString()
    {
        var piece = Pick(["x", "\u00e9", "\ud83d\ude00", "\\\"", " ", "\u202e"]);
        var charactersPerPiece = piece.StartsWith('\\') ? 1 : piece.Length;
        var count = random.Next(HugeStringLength / charactersPerPiece + 1, 950 * 1024 / Encoding.UTF8.GetByteCount(piece));
        return () => HugeString(count, piece);
    }

    /// <summary>A valid JSON object of about <paramref name="bytes"/> bytes: over the gateway's limits, not malformed.</summary>
    private static byte[] HugeBody(int bytes) => Encoding.UTF8.GetBytes($"{{\"hostile\":\"{new string('x', bytes)}\"}}");

    private static byte[] Deep(int depth, char opener)
    {
        var (open, close) = opener == '[' ? ("[", "]") : ("{\"a\":", "}");
        var inner = opener == '[' ? "" : "1";
        return Encoding.UTF8.GetBytes(Repeat(open, depth) + inner + Repeat(close, depth));
    }

    private static byte[] NotUtf8String(byte[] bad) => [(byte)'"', (byte)'a', .. bad, (byte)'z', (byte)'"'];

    private byte[] RandomMalformed()
    {
        const string alphabet = "{}[]\":,0123456789.-+eEtrufalsn \\\t\nabc/'";
        while (true)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 64)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var bytes = Encoding.UTF8.GetBytes(text);
            if (!IsJson(bytes))
            {
                return bytes;
            }
        }
    }

    private string RandomId(bool invalidOnly) => invalidOnly
        ? random.Next(2) == 0 ? Repeat("%20", random.Next(1, 10)) : new string('y', random.Next(257, 6000))
        : random.Next(2) == 0 ? Pick(OddIds) : RandomEncoded(random.Next(1, 400));

    private string RandomCredentials() => random.Next(3) switch
    {
        0 => Pick(MangledCredentials),
        1 => "Bearer " + RandomToken(random.Next(1, 5000)),
        _ => "Basic " + Convert.ToBase64String(RandomBytes(random.Next(1, 300))),
    };

    private string RandomToken(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(0x21, 0x7F))]);

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random text percent-encoded: any BMP character but surrogates, sometimes a byte that is not UTF-8.</summary>
    private string RandomEncoded(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            if (random.Next(20) == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"%{random.Next(0x80, 0x100):X2}");
                continue;
            }

            var c = (char)random.Next(1, 0xD800);
            text.Append(Uri.EscapeDataString(c.ToString()));
        }

        return text.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
