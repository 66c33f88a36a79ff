using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>One method of one route the gateway maps, with what the generator needs to know of it.</summary>
/// <param name="Name">The method and route template, such as <c>PUT /api/journeys/{id}</c>.</param>
/// <param name="Role">The least role its policy admits; <c>write</c> (the write key) for endpoints without a policy.</param>
/// <param name="QueryParameters">The query parameters it binds, as the OpenAPI description lists them.</param>
/// <param name="Body">What body it binds, if any.</param>
internal sealed record HostileEndpoint(
    string Name, string Method, RoutePattern Pattern, string Role, IReadOnlyList<string> QueryParameters, IAcceptsMetadata? Body)
{
    /// <summary>Ingestion reads JSON whatever the Content-Type says (api.md §1).</summary>
    public bool TakesAnyContentType => Body?.ContentTypes.Contains("*/*") == true;

    public bool IsSafe => Method == HttpMethods.Get;

    /// <summary>Every route endpoint of the running gateway, one per HTTP method; an endpoint for any method counts as GET.</summary>
    public static async Task<IReadOnlyList<HostileEndpoint>> DiscoverAsync(IServiceProvider services)
    {
        var queryParameters = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items
            .SelectMany(group => group.Items)
            .ToDictionary(
                description => (description.ActionDescriptor.DisplayName ?? "", description.HttpMethod ?? ""),
                description => (IReadOnlyList<string>)[.. description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query).Select(p => p.Name)]);
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var endpoints = new List<HostileEndpoint>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var role = await LeastRoleAsync(endpoint, policies);
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Get])
            {
                var template = endpoint.RoutePattern.RawText!.TrimEnd('/');
                endpoints.Add(new HostileEndpoint(
                    $"{method} {(template.Length == 0 ? "/" : template)}",
                    method,
                    endpoint.RoutePattern,
                    role,
                    queryParameters.GetValueOrDefault((endpoint.DisplayName ?? "", method), []),
                    endpoint.Metadata.GetMetadata<IAcceptsMetadata>()));
            }
        }

        return endpoints;
    }

    private static async Task<string> LeastRoleAsync(RouteEndpoint endpoint, IAuthorizationPolicyProvider policies)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
            || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>() is not [{ Policy: { } name }, ..])
        {
            return "write"; // ingestion takes the write key; the links and health endpoints ignore it
        }

        var policy = await policies.GetPolicyAsync(name) ?? throw new InvalidOperationException($"No policy '{name}'.");
        return policy.Requirements.OfType<RolesAuthorizationRequirement>().Single().AllowedRoles.First();
    }
}
