using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests.Customers;

/// <summary>Sends Segment calls and reads customers back, as a backend team and an operator would.</summary>
internal sealed class Segment(GatewayHost host, string writeKey, string adminKey)
{
    public HttpClient Writer { get; } = host.ClientWithBasic(writeKey, "");

    public HttpClient Admin { get; } = host.ClientWithBearer(adminKey);

    public async Task Send(string call, object message)
    {
        var response = await Writer.PostAsJsonAsync($"/v1/{call}", message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{call} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("""{"success":true}""", body);
    }

    public Task<HttpResponseMessage> Post(string call, string json) =>
        Writer.PostAsync($"/v1/{call}", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> Customer(string id)
    {
        var response = await Admin.GetAsync($"/api/customers/{Uri.EscapeDataString(id)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"customer {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpStatusCode> CustomerStatus(string id) =>
        (await Admin.GetAsync($"/api/customers/{Uri.EscapeDataString(id)}")).StatusCode;

    public async Task<JsonElement[]> Timeline(string id, int limit = 500)
    {
        var page = await Admin.GetFromJsonAsync<JsonElement>($"/api/customers/{Uri.EscapeDataString(id)}/timeline?limit={limit}");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>A fresh id, so tests sharing one node never meet each other's customers.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
