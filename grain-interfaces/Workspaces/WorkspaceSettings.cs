using System.Collections.Immutable;
using System.Text;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>The workspace-wide settings of api.md §6 (the inbox secret is kept apart, see <see cref="WorkspaceView"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record WorkspaceSettings(
    [property: Id(0)] string Timezone,
    [property: Id(1)] QuietHours? QuietHours,
    [property: Id(2)] FrequencyCap? FrequencyCap,
    [property: Id(3)] ImmutableArray<string> IdentityTraits,
    [property: Id(4)] TimeSpan RfmWindow)
{
    /// <summary>The defaults canvas.md gives: UTC, quiet 22:00–08:00, 3 marketing sends per 24 h.</summary>
    public static WorkspaceSettings Defaults { get; } = new(
        "UTC",
        new QuietHours(new TimeOnly(22, 0), new TimeOnly(8, 0)),
        new FrequencyCap(3, TimeSpan.FromHours(24)),
        ["email", "phone"],
        TimeSpan.FromDays(365));
}

[GenerateSerializer, Immutable]
public sealed record QuietHours([property: Id(0)] TimeOnly Start, [property: Id(1)] TimeOnly End);

[GenerateSerializer, Immutable]
public sealed record FrequencyCap([property: Id(0)] int Count, [property: Id(1)] TimeSpan Window);

/// <summary>Settings plus the secret that only admins may read.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkspaceView(
    [property: Id(0)] string Id,
    [property: Id(1)] WorkspaceSettings Settings,
    [property: Id(2)] string InboxSecret)
{
    /// <summary>Leaves the inbox secret out of <c>ToString</c>, which Orleans' message tracing prints.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Settings = ").Append(Settings).Append(", InboxSecret = ***");
        return true;
    }
}
