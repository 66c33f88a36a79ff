using Waymark.GrainInterfaces.Customers;
using Waymark.Grains.Workspaces;
using Waymark.Model.Customers;

namespace Waymark.Gateway.Customers;

/// <summary>
/// Finds the customer an id in a path names (api.md §2): a user id first, then an anonymous id, then an
/// identity trait value (email, phone). Merged-away ids answer their survivor.
/// </summary>
internal sealed class CustomerDirectory(IGrainFactory grains, WorkspaceSettingsCache workspaceSettings)
{
    public async Task<CustomerView?> FindAsync(string workspace, string id)
    {
        foreach (var key in new[] { CustomerKeys.User(id), CustomerKeys.Anonymous(id) })
        {
            if (await Customer(workspace, key).Describe() is { } view)
            {
                return view;
            }
        }

        foreach (var trait in (await workspaceSettings.GetAsync(workspace)).IdentityTraits)
        {
            if (CustomerProfile.IdentityValue(trait, id) is { } value
                && await grains.GetGrain<IIdentityGrain>(CustomerKeys.Identity(workspace, trait, value)).Holder() is { } holder
                && await Customer(workspace, holder).Describe() is { } view)
            {
                return view;
            }
        }

        return null;
    }

    public ICustomerGrain Customer(string workspace, string customerKey) =>
        grains.GetGrain<ICustomerGrain>(CustomerKeys.Grain(workspace, customerKey));
}
