using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>The answer to one hostile request, and what is wrong with it (null when nothing is).</summary>
internal sealed record HostileVerdict(HostileRequest Request, int Status, string? Failure);

/// <summary>
/// Sends hostile requests over a real socket, exactly as generated (no path canonicalization, no redirects, no
/// cookies), and judges each answer: never a 5xx; a 2xx only from a GET or an endpoint that changes nothing; anything
/// else RFC 7807 problem details whose <c>status</c> is the answer's, with a title, and for a refused body or query
/// <c>errors</c> that name the field at fault.
/// </summary>
internal sealed class HostileClient(Uri baseAddress, IReadOnlyDictionary<string, EndpointSample> samples) : IDisposable
{
    /// <summary>Above this a body is sent with <c>Expect: 100-continue</c>, as clients send large bodies: the gateway may refuse it before it is sent.</summary>
    private const int ExpectContinueAbove = 1024 * 1024;

    private static readonly UriCreationOptions AsGiven = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>How long one exchange may take, however loaded the machine: far beyond any healthy answer.</summary>
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(60);

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        Expect100ContinueTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each exchange has its own deadline, body included
    };

    public void Dispose() => http.Dispose();

    public async Task<HostileVerdict> SendAsync(HostileRequest request)
    {
        try
        {
            return await ExchangeAsync(request);
        }
        catch (Exception e) when (e is not (HttpRequestException or OperationCanceledException))
        {
            return new HostileVerdict(request, 0, $"not sent: {e}");
        }
    }

    private async Task<HostileVerdict> ExchangeAsync(HostileRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(baseAddress + request.Target.TrimStart('/'), in AsGiven));
        if (request.Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body?.Invoke() is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            }

            message.Headers.ExpectContinue = body.Length > ExpectContinueAbove;
        }

        using var deadline = new CancellationTokenSource(AnswerTime);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;

            // Only a refusal is judged by its body; some reads stream until the client leaves (the live view, the dashboard's trace).
            var content = response.IsSuccessStatusCode ? [] : await response.Content.ReadAsByteArrayAsync(deadline.Token);
            return new HostileVerdict(request, status, Judge(request, status, response.Content.Headers.ContentType?.MediaType, content));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return new HostileVerdict(request, 0, $"no answer within {AnswerTime.TotalSeconds:0} s: {e.GetType().Name}: {e.Message}");
        }
    }

    private string? Judge(HostileRequest request, int status, string? mediaType, byte[] content)
    {
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (status is >= 200 and < 300)
        {
            return request.Endpoint.IsSafe || samples.GetValueOrDefault(request.Endpoint.Name)?.Stateless == true
                ? null
                : $"accepted with {status}: a hostile request to an endpoint that changes state must be refused";
        }

        if (content.Length == 0 && request.KestrelMayRefuse && status is StatusCodes.Status400BadRequest or StatusCodes.Status414UriTooLong or StatusCodes.Status431RequestHeaderFieldsTooLarge)
        {
            return null;
        }

        if (mediaType != "application/problem+json")
        {
            return $"answered {status} with {mediaType ?? "no content type"}, not problem details";
        }

        JsonElement problem;
        try
        {
            using var document = JsonDocument.Parse(content);
            problem = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"answered {status} with problem details that are not JSON: {e.Message}";
        }

        if (!problem.TryGetProperty("status", out var statusField) || statusField.ValueKind != JsonValueKind.Number || statusField.GetInt32() != status)
        {
            return $"answered {status} with problem details whose status is not {status}: {Text(content)}";
        }

        if (!problem.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(title.GetString()))
        {
            return $"answered {status} with problem details without a title: {Text(content)}";
        }

        return status is StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType
            ? JudgeErrors(request, status, problem, content)
            : null;
    }

    /// <summary>A refused body or query lists its problems by path, and one of them is the field the mutation broke.</summary>
    private static string? JudgeErrors(HostileRequest request, int status, JsonElement problem, byte[] content)
    {
        if (!problem.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0
            || errors.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String))
        {
            return $"answered {status} without errors [{{path, message}}]: {Text(content)}";
        }

        if (status != StatusCodes.Status400BadRequest || request.FieldAtFault is not { } field)
        {
            return null;
        }

        return errors.EnumerateArray().Any(e => Names(e.GetProperty("path").GetString()!, field) || Mentions(e, field))
            ? null
            : $"answered 400 without naming {field}: {Text(content)}";
    }

    /// <summary>Whether an error at <paramref name="path"/> names <paramref name="field"/>: the field itself, a part of it, or the member holding it (not the whole body).</summary>
    private static bool Names(string path, string field)
    {
        var (at, of) = (Segments(path), Segments(field));
        return at.Count >= of.Count ? at.Take(of.Count).SequenceEqual(of) : at.Count > 1 && of.Take(at.Count).SequenceEqual(at);
    }

    /// <summary>
    /// A JSON path's steps, however a name is written: <c>$.a</c>, or <c>$['a b']</c> with <c>\\</c>, <c>\'</c> and
    /// <c>\u0000</c> escapes (System.Text.Json and the definitions' readers spell odd names differently). A bare
    /// query parameter name is one step.
    /// </summary>
    private static List<string> Segments(string path)
    {
        if (!path.StartsWith('$'))
        {
            return [path];
        }

        var segments = new List<string> { "$" };
        for (var i = 1; i < path.Length;)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                segments.Add(path[(i + 1)..(end < 0 ? path.Length : end)]);
                i = end < 0 ? path.Length : end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var name = new StringBuilder();
                for (i += 2; i < path.Length && path[i] != '\''; i++)
                {
                    if (path[i] == '\\' && i + 1 < path.Length)
                    {
                        i++;
                        if (path[i] == 'u' && i + 4 < path.Length && int.TryParse(path.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        {
                            name.Append((char)code);
                            i += 4;
                            continue;
                        }
                    }

                    name.Append(path[i]);
                }

                segments.Add(name.ToString());
                i += 2; // past the closing quote and bracket
            }
            else
            {
                var end = path.IndexOf(']', i);
                segments.Add(end < 0 ? path[i..] : path[i..(end + 1)]);
                i = end < 0 ? path.Length : end + 1;
            }
        }

        return segments;
    }

    /// <summary>A rule between two query values is reported at one of them and names the other ("to: must be after from").</summary>
    private static bool Mentions(JsonElement error, string field) =>
        !field.StartsWith('$') && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
        && Regex.IsMatch(message.GetString()!, $@"\b{Regex.Escape(field)}\b", RegexOptions.CultureInvariant);

    private static string Text(byte[] content) => content.Length <= 600
        ? Encoding.UTF8.GetString(content)
        : Encoding.UTF8.GetString(content, 0, 600) + "…";
}
