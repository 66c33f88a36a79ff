using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>What history predicates need held in memory, and the in-memory history that holds it.</summary>
public class HistoryWindowsTests
{
    [Fact]
    public void Each_counted_event_needs_its_longest_window_at_any_depth()
    {
        var windows = HistoryWindows.Of(
            Given.Predicate("""{ "all": [ { "event": "page_viewed", "within": "P30D" }, { "not": { "event": "page_viewed", "within": "P90D" } } ] }"""),
            Given.Predicate("""{ "any": [ { "tag": "vip" }, { "event": "order_completed", "within": "P7D", "where": { "event": "refund_issued", "within": "P1D" } } ] }"""));

        Assert.Equal(
            new Dictionary<string, TimeSpan?>
            {
                ["page_viewed"] = TimeSpan.FromDays(90),
                ["order_completed"] = TimeSpan.FromDays(7),
                ["refund_issued"] = TimeSpan.FromDays(1),
            },
            windows);
    }

    [Fact]
    public void An_event_counted_over_all_history_needs_all_of_it()
    {
        var windows = HistoryWindows.Of(
            Given.Predicate("""{ "event": "order_completed", "within": "P30D" }"""),
            Given.Predicate("""{ "event": "order_completed", "count": { "op": "gt", "value": 3 } }"""),
            Given.Predicate("""{ "event": "order_completed", "within": "P365D" }"""));

        Assert.Null(Assert.Single(windows, w => w.Key == "order_completed").Value);
    }

    [Fact]
    public void Predicates_that_count_no_events_need_no_history()
    {
        Assert.Empty(HistoryWindows.Of(Given.Predicate("""{ "all": [ { "tag": "vip" }, { "lastSeen": { "op": "gte", "value": "-P7D" } } ] }""")));
    }

    [Fact]
    public void An_event_history_answers_each_name_with_its_events_only()
    {
        var viewed = Given.Event("page_viewed", Given.Now);
        var history = new EventHistory([viewed, Given.Event("order_completed", Given.Now)]);

        Assert.Equal([viewed], history.Named("page_viewed"));
        Assert.Empty(history.Named("Page_Viewed"));
        Assert.Empty(EventHistory.Empty.Named("page_viewed"));
    }
}
