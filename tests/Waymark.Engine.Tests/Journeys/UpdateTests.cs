using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class UpdateTests
{
    private static JourneyDefinition Update(string fields) => Canvas.Of("update", $$"""
        [ { "id": "update", "type": "update", {{fields}}, "next": "done" }, { "id": "done", "type": "exit" } ]
        """);

    [Fact]
    public void Literal_traits_and_tags_are_set_as_written()
    {
        var customer = new RunDriver(Update("""
            "setTraits": { "level": "gold", "points": 12.5, "vip": true, "cleared": null, "list": [1, "two"] },
            "addTags": ["vip", "reminded"], "removeTags": ["new"]
            """));

        Assert.Equal(
            [
                "entered update",
                """update update set {"level":"gold","points":12.5,"vip":true,"cleared":null,"list":[1,"two"]} add [vip, reminded] remove [new]""",
                "moved update → done (next)",
                "exited done (exit_node)",
            ],
            Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void Path_values_are_read_from_the_trigger_the_current_event_and_the_customer()
    {
        var customer = new RunDriver(Update("""
            "setTraits": {
              "lastOrder": { "path": "trigger.properties.orderId" },
              "lastModel": { "path": "event.properties.car.model" },
              "nickname": { "path": "customer.traits.name" } }
            """));
        customer.Traits["name"] = "Ada";

        Assert.Contains(
            """update update set {"lastOrder":"o-1","lastModel":"Y","nickname":"Ada"} add [] remove []""",
            Tell(customer.EnterOn("go", """{ "orderId": "o-1", "car": { "model": "Y" } }""")));
    }

    [Fact]
    public void A_path_with_no_value_leaves_that_trait_out()
    {
        var customer = new RunDriver(Update("""
            "setTraits": { "lastOrder": { "path": "trigger.properties.orderId" }, "nothing": { "path": "trigger.properties.none" }, "empty": { "path": "trigger.properties.blank" } }
            """));

        Assert.Contains("""update update set {"lastOrder":"o-1"} add [] remove []""", Tell(customer.EnterOn("go", """{ "orderId": "o-1", "blank": null }""")));
    }

    [Fact]
    public void The_traits_set_are_a_copy_the_grain_may_keep_without_touching_the_run()
    {
        var journey = Canvas.Of("update", """
            [ { "id": "update", "type": "update", "setTraits": { "order": { "path": "trigger.properties.order" } }, "next": "wait" },
              { "id": "wait", "type": "wait", "duration": "P1D", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go", """{ "order": { "id": "o-1" } }""");
        var set = customer.Timeline.OfType<UpdateProfile>().Single().SetTraits;

        set["order"]!["id"] = "changed";

        Assert.Equal("o-1", customer.Run?.TriggerProperties["order"]?["id"]?.GetValue<string>());
    }
}
