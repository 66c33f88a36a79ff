using System.Security.Cryptography;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Writes a placeholder for each tracked link, <c>[[waymark-link:{nonce}:{n}]]</c>, which
/// <see cref="RenderedMessage.ResolveLinks"/> later swaps for the real <c>{PublicBaseUrl}/c/{token}</c>
/// once delivery has minted the tokens. The characters pass HTML and JSON encoders unchanged; the
/// random nonce keeps a customer's trait that imitates a placeholder from being taken for one.
/// </summary>
public sealed class LinkPlaceholders : ILinkTracker
{
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private int _count;

    /// <summary>A new placeholder; <paramref name="url"/> is recorded by the renderer, not here.</summary>
    public string Track(string url) => $"[[waymark-link:{_nonce}:{_count++}]]";
}
