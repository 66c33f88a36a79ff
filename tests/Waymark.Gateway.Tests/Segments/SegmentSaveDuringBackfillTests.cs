using System.Net;
using System.Net.Http.Json;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// Found by the access matrix drill: a designer saving two segments in a row waited 30 s and got a 500 for the second. The
/// second save waited for the first one's backfill to take its generation, that backfill for the customers it was
/// visiting, and they for the segment catalog of the very library busy with the second save.
/// </summary>
public sealed class SegmentSaveDuringBackfillTests(SingleNode node) : IClassFixture<SingleNode>
{
    [Fact]
    public async Task A_segment_saved_while_the_previous_one_is_backfilled_is_saved()
    {
        var writer = node.Host.ClientWithBasic(node.WriteKey, "");
        var batch = Enumerable.Range(0, 300).Select(i => new { type = "identify", userId = $"backfilled-{i}", traits = new { plan = i % 2 == 0 ? "gold" : "basic" } });
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsJsonAsync("/v1/batch", new { batch })).StatusCode);
        var designer = node.Host.ClientWithBearer(node.AdminKey);

        for (var round = 0; round < 2; round++)
        {
            foreach (var plan in new[] { "gold", "basic" })
            {
                // Deadlocked, the save failed with 500 at Orleans' 30 s call timeout.
                var saved = await designer.PutAsJsonAsync($"/api/segments/{plan}-{round}", new { name = plan, where = new { trait = "plan", op = "eq", value = plan } });

                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            }
        }
    }
}
