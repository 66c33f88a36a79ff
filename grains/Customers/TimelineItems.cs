using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.GrainInterfaces.Customers;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Customers;

/// <summary>Log entries as the timeline items of api.md §2.</summary>
internal static class TimelineItems
{
    public static string ToJson(LogEntry entry)
    {
        var item = new JsonObject { ["at"] = entry.At, ["kind"] = entry.Kind };
        if (LogKinds.JourneyItems.Contains(entry.Kind))
        {
            foreach (var (field, value) in JsonNode.Parse(entry.Payload)!.AsObject().ToList())
            {
                item[field] = value?.DeepClone();
            }

            return item.ToJsonString();
        }

        switch (entry.Kind)
        {
            case LogKinds.Event:
                var message = LogKinds.Deserialize<CustomerEvent>(entry.Payload);
                item["name"] = message.Name ?? message.Kind.ToString().ToLowerInvariant();
                item["properties"] = Parse(message.Properties) ?? new JsonObject();
                item["messageId"] = message.MessageId;
                if (Parse(message.Traits) is { } traits)
                {
                    item["traits"] = traits;
                }

                break;
            case LogKinds.Profile:
                item["change"] = JsonNode.Parse(entry.Payload);
                break;
            case LogKinds.MergedFrom:
                item["kind"] = "merged";
                item["from"] = CustomerKeys.PublicId(LogKinds.Deserialize<MergedFromRecord>(entry.Payload).From);
                break;
            case LogKinds.MergedInto:
                item["kind"] = "merged";
                item["into"] = CustomerKeys.PublicId(LogKinds.Deserialize<MergedIntoRecord>(entry.Payload).Into);
                break;
            case LogKinds.IdentityConflict:
                var conflict = LogKinds.Deserialize<IdentityConflictRecord>(entry.Payload);
                item["trait"] = conflict.Trait;
                item["value"] = conflict.Value;
                item["other"] = CustomerKeys.PublicId(conflict.Other);
                break;
        }

        return item.ToJsonString();
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
