using System.Text;
using Waymark.Hosting;

namespace Waymark.Hosting.Tests;

public class StateSerializationTests
{
    private readonly StateSerialization serialization = new();

    public sealed class OrderStateV1
    {
        public string OrderId { get; set; } = "";
        public List<string> Items { get; set; } = [];
        public Status Status { get; set; }
    }

    /// <summary>The same state after a refactoring: renamed, moved, and with a field added.</summary>
    public sealed record RenamedOrderState(string OrderId, IReadOnlyList<string> Items, Status Status, int Priority = 7);

    public enum Status { Open, Paid }

    [Fact]
    public void Stored_state_is_plain_camel_case_json_without_type_names()
    {
        var json = Encoding.UTF8.GetString(serialization.Serialize(new OrderStateV1 { OrderId = "o-1", Items = ["a"], Status = Status.Paid }).ToArray());

        Assert.Equal("""{"orderId":"o-1","items":["a"],"status":"paid"}""", json);
    }

    [Fact]
    public void State_written_by_one_class_reads_into_its_renamed_successor()
    {
        var stored = serialization.Serialize(new OrderStateV1 { OrderId = "o-1", Items = ["a", "b"], Status = Status.Paid });

        var read = serialization.Deserialize<RenamedOrderState>(stored);

        Assert.Equal("o-1", read.OrderId);
        Assert.Equal(["a", "b"], read.Items);
        Assert.Equal(Status.Paid, read.Status);
        Assert.Equal(7, read.Priority);
    }
}
