using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Waymark.Gateway.Tests;

/// <summary>Reads and checks an RFC 7807 answer.</summary>
internal static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static IEnumerable<string> ErrorPaths(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!);
}
