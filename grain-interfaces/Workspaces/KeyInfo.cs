using System.Text;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>A key as listed: never its secret.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] AccessRole Role,
    [property: Id(2)] string Name,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>A key just issued: the only time its secret is seen.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedKey(
    [property: Id(0)] KeyInfo Key,
    [property: Id(1)] string Secret)
{
    /// <summary>Leaves the secret out of <c>ToString</c>, which Orleans' message tracing prints.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key).Append(", Secret = ***");
        return true;
    }
}

/// <summary>The outcome of revoking a key; <see cref="KeyHash"/> lets a gateway drop it from its cache.</summary>
[GenerateSerializer, Immutable]
public sealed record RevokedKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyHash);
