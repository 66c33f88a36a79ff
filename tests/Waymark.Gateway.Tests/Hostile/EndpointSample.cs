namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// A valid request to one endpoint, that the generator breaks one part at a time. What the contract leaves free is
/// marked, so that no mutation the generator makes is a valid request by accident.
/// </summary>
internal sealed record EndpointSample
{
    /// <summary>Route values, already percent-encoded; a parameter not given here is <c>hostile</c>.</summary>
    public IReadOnlyDictionary<string, string> Route { get; init; } = new Dictionary<string, string>();

    /// <summary>Query values, already percent-encoded; the generator breaks one at a time.</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>A valid JSON body; null for an endpoint that binds none.</summary>
    public string? Body { get; init; }

    /// <summary>Headers a valid request carries beside its credentials.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>JSON paths of objects that take members of any name beside those shown (a Segment message, channel subscriptions).</summary>
    public IReadOnlySet<string> OpenObjects { get; init; } = new HashSet<string>();

    /// <summary>JSON paths of objects whose members are the caller's own (traits, properties): any name, any value.</summary>
    public IReadOnlySet<string> FreeObjects { get; init; } = new HashSet<string>();

    /// <summary>JSON paths of strings that may also be sent as numbers (Segment's ids).</summary>
    public IReadOnlySet<string> NumbersToo { get; init; } = new HashSet<string>();

    /// <summary>JSON paths of texts the customer log is keyed by (customer ids, event names), which must fit its keys: no NUL, at most 254 characters.</summary>
    public IReadOnlySet<string> LogKeys { get; init; } = new HashSet<string>();

    /// <summary>JSON paths of texts the contract sets no length for (a segment's description, a predicate's tag): long is not hostile there.</summary>
    public IReadOnlySet<string> UnboundedTexts { get; init; } = new HashSet<string>();

    /// <summary>
    /// A write to an unknown customer id creates that customer (api.md §2), so any text is a valid id here: only ids
    /// the contract refuses (blank, too long) are hostile in its route.
    /// </summary>
    public bool CreatesOnUnknownId { get; init; }

    /// <summary>It only reads or checks: a 2xx to it changes nothing (journey validation).</summary>
    public bool Stateless { get; init; }
}
