using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class ConditionTests
{
    private static JourneyDefinition Condition(string predicate) => Canvas.Of("check", $$"""
        [ { "id": "check", "type": "condition", "if": {{predicate}}, "then": "yes", "else": "no" },
          { "id": "yes", "type": "exit" },
          { "id": "no", "type": "exit" } ]
        """);

    [Fact]
    public void A_condition_that_holds_moves_to_then()
    {
        var customer = new RunDriver(Condition("""{ "trait": "age", "op": "gte", "value": 30 }"""));
        customer.Traits["age"] = 31;

        Assert.Equal(["entered check", "moved check → yes (condition_true)", "exited yes (exit_node)"], Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void A_condition_that_fails_moves_to_else()
    {
        var customer = new RunDriver(Condition("""{ "trait": "age", "op": "gte", "value": 30 }"""));
        customer.Traits["age"] = 29;

        Assert.Equal(["entered check", "moved check → no (condition_false)", "exited no (exit_node)"], Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void Property_reads_the_trigger_event_until_a_wait_event_receives_another()
    {
        var journey = Canvas.Of("first", """
            [ { "id": "first", "type": "condition", "if": { "property": "score", "op": "gte", "value": 7 }, "then": "rate", "else": "low" },
              { "id": "rate", "type": "waitEvent", "event": "rated", "timeout": "P1D", "next": "second", "timeoutNext": "low" },
              { "id": "second", "type": "condition", "if": { "property": "score", "op": "gte", "value": 7 }, "then": "high", "else": "low" },
              { "id": "high", "type": "exit" },
              { "id": "low", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);

        Assert.Contains("moved first → rate (condition_true)", Tell(customer.EnterOn("go", """{ "score": 9 }""")));
        Assert.Equal(
            ["moved rate → second (event)", "moved second → low (condition_false)", "exited low (exit_node)"],
            Tell(customer.Receive("rated", """{ "score": 2 }""")));
    }

    [Fact]
    public void A_path_value_compares_with_the_trigger_properties()
    {
        var journey = Condition("""{ "trait": "favouriteModel", "op": "eq", "value": { "path": "trigger.properties.model" } }""");
        var fan = new RunDriver(journey);
        fan.Traits["favouriteModel"] = "Model Y";
        var other = new RunDriver(journey);
        other.Traits["favouriteModel"] = "Model 3";

        Assert.Contains("moved check → yes (condition_true)", Tell(fan.EnterOn("go", """{ "model": "Model Y" }""")));
        Assert.Contains("moved check → no (condition_false)", Tell(other.EnterOn("go", """{ "model": "Model Y" }""")));
    }

    [Fact]
    public void A_condition_on_a_run_with_no_event_reads_no_property()
    {
        var customer = new RunDriver(Canvas.Of(
            "check",
            """
            [ { "id": "check", "type": "condition", "if": { "property": "score", "op": "notExists" }, "then": "yes", "else": "no" },
              { "id": "yes", "type": "exit" }, { "id": "no", "type": "exit" } ]
            """,
            trigger: """{ "type": "api" }"""));

        // With no current event, property is false whatever the operator.
        Assert.Contains("moved check → no (condition_false)", Tell(customer.Enter(new ApiEnrolled())));
    }

    [Fact]
    public void A_condition_after_an_update_in_the_same_step_reads_the_updated_profile()
    {
        var journey = Canvas.Of("mark", """
            [ { "id": "mark", "type": "update", "setTraits": { "level": "gold" }, "addTags": ["vip"], "removeTags": ["new"], "next": "check" },
              { "id": "check", "type": "condition",
                "if": { "all": [ { "trait": "level", "op": "eq", "value": "gold" }, { "tag": "vip" }, { "not": { "tag": "new" } } ] },
                "then": "yes", "else": "no" },
              { "id": "yes", "type": "exit" }, { "id": "no", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.Tags.Add("new");

        Assert.Contains("moved check → yes (condition_true)", Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void A_condition_counts_the_customers_history()
    {
        var journey = Condition("""{ "event": "order_completed", "within": "P30D", "count": { "op": "gte", "value": 2 } }""");
        var loyal = new RunDriver(journey);
        loyal.Receive("order_completed");
        loyal.Receive("order_completed");
        var once = new RunDriver(journey);
        once.Receive("order_completed");

        Assert.Contains("moved check → yes (condition_true)", Tell(loyal.EnterOn("go")));
        Assert.Contains("moved check → no (condition_false)", Tell(once.EnterOn("go")));
    }

    [Fact]
    public void A_timestamp_trait_at_the_end_of_time_compares_as_text_instead_of_throwing()
    {
        var customer = new RunDriver(Condition("""{ "trait": "renewal", "op": "gt", "value": "2027-05-20T12:00:00Z" }"""));
        customer.Traits["renewal"] = "9999-12-31T23:00:00-05:00";

        Assert.Contains("moved check → yes (condition_true)", Tell(customer.EnterOn("go")));
    }
}
