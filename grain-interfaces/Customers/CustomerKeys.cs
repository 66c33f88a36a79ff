using System.Diagnostics.CodeAnalysis;

namespace Waymark.GrainInterfaces.Customers;

/// <summary>
/// How customers are addressed. A customer grain is keyed <c>{workspace}/{customerKey}</c>, where the
/// customer key is <c>u:{userId}</c> or <c>a:{anonymousId}</c>: every id a customer was ever known by is a
/// grain, either the live profile or a pointer to the profile it was merged into. So routing an event
/// needs no lookup table, and a merged-away id keeps resolving to the survivor.
/// </summary>
public static class CustomerKeys
{
    /// <summary>
    /// The longest user or anonymous id: the customer log keys a customer by its id behind a two-character prefix, in
    /// at most 256 characters (<c>LogEntry.MaxCustomerKeyLength</c>, a width every supported database indexes alike).
    /// </summary>
    public const int MaxIdLength = 254;

    public const string IdRule = "must be 1 to 254 characters, not all whitespace, with no NUL character";

    /// <summary>Whether a customer can have this id (<see cref="IdRule"/>); NUL is no text PostgreSQL can store.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength && !id.Contains('\0', StringComparison.Ordinal);

    public static string User(string userId) => "u:" + userId;

    public static string Anonymous(string anonymousId) => "a:" + anonymousId;

    public static string Grain(string workspace, string customerKey) => workspace + "/" + customerKey;

    /// <summary>Splits a grain key; workspace ids never contain '/', customer ids may.</summary>
    public static (string Workspace, string CustomerKey) Split(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }

    /// <summary>The id users see for a customer key: the user id or anonymous id without its prefix.</summary>
    public static string PublicId(string customerKey) => customerKey[2..];

    public static bool IsUser(string customerKey) => customerKey.StartsWith("u:", StringComparison.Ordinal);

    /// <summary>The key of an identity index grain: <c>{workspace}/{trait}:{value}</c>.</summary>
    public static string Identity(string workspace, string trait, string value) => $"{workspace}/{trait}:{value}";
}
