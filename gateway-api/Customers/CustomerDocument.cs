using System.Text.Json.Nodes;
using Waymark.GrainInterfaces.Customers;

namespace Waymark.Gateway.Customers;

/// <summary>A customer as api.md §2 shows it.</summary>
internal static class CustomerDocument
{
    public static JsonObject From(CustomerView view, string workspaceTimezone)
    {
        var identities = new JsonObject
        {
            ["userId"] = view.UserId,
            ["anonymousIds"] = Array(view.AnonymousIds),
        };
        foreach (var (trait, values) in view.Identities)
        {
            identities[trait] = Array(values);
        }

        foreach (var trait in new[] { "email", "phone" })
        {
            identities[trait] ??= new JsonArray();
        }

        return new JsonObject
        {
            ["id"] = view.Id,
            ["traits"] = JsonNode.Parse(view.TraitsJson),
            ["tags"] = Array(view.Tags),
            ["identities"] = identities,
            ["firstSeen"] = view.FirstSeen,
            ["lastSeen"] = view.LastSeen,
            ["timezone"] = view.Timezone ?? workspaceTimezone,
            ["segments"] = Array(view.Segments),
            ["activeJourneys"] = new JsonArray([.. view.ActiveJourneys.Select(r => (JsonNode?)new JsonObject
            {
                ["journey"] = r.Journey, ["version"] = r.Version, ["entryId"] = r.EntryId, ["node"] = r.Node, ["since"] = r.Since,
            })]),
            ["subscriptions"] = new JsonObject(view.Subscriptions.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
            ["mergedFrom"] = Array(view.MergedFrom),
            ["groups"] = JsonNode.Parse(view.GroupsJson),
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}
