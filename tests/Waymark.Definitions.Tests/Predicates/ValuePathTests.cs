using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Predicates;

public class ValuePathTests
{
    [Theory]
    [InlineData("trigger.properties.orderId", ValueRoot.TriggerProperties, "orderId")]
    [InlineData("event.properties.order.id", ValueRoot.EventProperties, "order.id")]
    [InlineData("customer.traits.first name", ValueRoot.CustomerTraits, "first name")]
    public void Each_root_reads_with_its_possibly_dotted_name_and_writes_back_the_same_text(string text, ValueRoot root, string name)
    {
        var problems = new Problems();

        var path = ValuePath.Read(text, "$.value.path", problems, runPathsAllowed: true);

        Assert.Empty(problems.All);
        Assert.Equal(new ValuePath(root, name), path);
        Assert.Equal(text, path!.ToString());
    }

    [Theory]
    [InlineData("order.id", "must start with 'trigger.properties.', 'event.properties.', 'customer.traits.'")]
    [InlineData("trigger.orderId", "must start with")]
    [InlineData("Customer.traits.x", "must start with")]
    [InlineData("customer.traits.", "must name a value after 'customer.traits.'")]
    [InlineData("customer.traits.address..city", "no empty part")]
    [InlineData("customer.traits.city.", "no empty part")]
    public void Malformed_paths_are_refused_at_their_path(string text, string message)
    {
        var problems = new Problems();

        Assert.Null(ValuePath.Read(text, "$.value.path", problems, runPathsAllowed: true));

        var problem = Assert.Single(problems.All);
        Assert.Equal("$.value.path", problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trigger.properties.orderId", false)]
    [InlineData("event.properties.orderId", false)]
    [InlineData("customer.traits.city", true)]
    public void Outside_a_run_only_customer_traits_are_read(string text, bool accepted)
    {
        var problems = new Problems();

        var path = ValuePath.Read(text, "$.p", problems, runPathsAllowed: false);

        Assert.Equal(accepted, path is not null);
        Assert.Equal(accepted, !problems.Any);
    }
}
