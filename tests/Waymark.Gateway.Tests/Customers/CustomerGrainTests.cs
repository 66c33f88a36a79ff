using Microsoft.Extensions.DependencyInjection;
using Waymark.GrainInterfaces.Customers;

namespace Waymark.Gateway.Tests.Customers;

/// <summary>The customer grain's own guard on its log: an edit is appended before it is applied, and replayed ever after.</summary>
public class CustomerGrainTests(SingleNode node) : IClassFixture<SingleNode>
{
    [Fact]
    public async Task Traits_the_profile_cannot_apply_are_refused_before_they_reach_its_log()
    {
        var user = Segment.NewId("u");
        var customer = node.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(CustomerKeys.Grain("default", CustomerKeys.User(user)));
        await customer.PatchTraits("""{"plan": "basic"}""");

        await Assert.ThrowsAnyAsync<Exception>(() => customer.PatchTraits("""{"plan": "pro", "plan": "free"}"""));

        var view = await customer.PatchTraits("""{"seats": 3}""");
        Assert.Contains("\"plan\":\"basic\"", view.TraitsJson, StringComparison.Ordinal);
        Assert.Contains("\"seats\":3", view.TraitsJson, StringComparison.Ordinal);
    }
}
