using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Customers;

/// <summary>
/// Which customer holds one identity trait value (an email address, a phone number), keyed by
/// <see cref="CustomerKeys.Identity"/>. Touched only when a profile gains such a value, never per event.
/// </summary>
public interface IIdentityGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="customerKey"/> as the holder unless another holds it; returns the holder.</summary>
    Task<string> Claim(string customerKey);

    /// <summary>Makes <paramref name="customerKey"/> the holder (after a merge in its favour).</summary>
    Task Assign(string customerKey);

    /// <summary>Forgets the value if one of <paramref name="customerKeys"/> holds it (erase).</summary>
    Task Release(IReadOnlyCollection<string> customerKeys);

    [ReadOnly]
    Task<string?> Holder();
}
