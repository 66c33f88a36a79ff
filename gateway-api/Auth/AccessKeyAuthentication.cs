using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Waymark.Gateway.Auth;

/// <summary>
/// One scheme for every kind of key: <c>Bearer &lt;key&gt;</c> for API keys, and HTTP Basic as Segment
/// sends write keys (key as user name, empty password) and as browsers send the dashboard's admin key
/// (any user name, key as password).
/// </summary>
internal sealed class AccessKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessKeyResolver resolver,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = PresentedKey(Request.Headers.Authorization.ToString());
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var grant = await resolver.ResolveAsync(key);
        return grant is null
            ? AuthenticateResult.Fail("Unknown or revoked key.")
            : AuthenticateResult.Success(new AuthenticationTicket(WaymarkClaims.ToPrincipal(grant, SchemeName), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Browsers only offer a sign-in prompt for Basic, which is how the dashboard is reached.
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/api")
            ? "Bearer"
            : "Basic realm=\"Waymark\", charset=\"UTF-8\"";
        await WriteProblem(StatusCodes.Status401Unauthorized, "A valid key is required.",
            "Send an API key as 'Authorization: Bearer <key>', or a write key as HTTP Basic user name.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(StatusCodes.Status403Forbidden, "The key's role does not allow this.",
            "See the role table in the API documentation.");

    private async Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string? PresentedKey(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
        {
            return null;
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return value.Parameter;
        }

        if (!value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? credentials : credentials[..colon];
        var password = colon < 0 ? "" : credentials[(colon + 1)..];
        var key = password.Length > 0 ? password : user;
        return key.Length > 0 ? key : null;
    }
}
