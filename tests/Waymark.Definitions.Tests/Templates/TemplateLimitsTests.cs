using System.Text.Json;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Tests.Templates;

public class TemplateLimitsTests
{
    [Theory]
    [InlineData("{% for i in (1..10000) %}{% for j in (1..10000) %}x{% endfor %}{% endfor %}")]
    [InlineData("{% for i in (1..10000) %}{% for j in (1..10000) %}{% endfor %}{% endfor %}")]
    public void Hostile_loop_stops_at_the_step_limit(string liquid)
    {
        var error = Assert.Throws<TemplateRenderException>(() => TemplateKit.Sms(liquid));

        Assert.Equal("text", error.Location);
        Assert.Contains($"more than {TemplateLimits.MaxSteps} steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_range_is_refused_before_it_is_built()
    {
        var error = Assert.Throws<TemplateRenderException>(() => TemplateKit.Sms("{% for i in (1..2000000000) %}x{% endfor %}"));

        Assert.Contains("the range (1..2000000000) holds more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_from_a_trait_is_bounded_too()
    {
        var error = Assert.Throws<TemplateRenderException>(() =>
            TemplateKit.Sms("{{ (1..customer.traits.n) | join: ',' }}", TemplateKit.Customer("""{ "n": 50000000 }""")));

        Assert.Contains("holds more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_range_loops_as_usual() =>
        Assert.Equal("1,2,3", TemplateKit.Sms("{% for i in (1..3) %}{{ i }}{% unless forloop.last %},{% endunless %}{% endfor %}"));

    [Fact]
    public void Output_past_the_limit_is_refused()
    {
        var big = new string('x', 10_000);
        var error = Assert.Throws<TemplateRenderException>(() =>
            TemplateKit.Sms("{% for i in (1..1000) %}{{ customer.traits.big }}{% endfor %}", TemplateKit.Customer(JsonSerializer.Serialize(new { big }))));

        Assert.Contains($"longer than {TemplateLimits.MaxOutputLength} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doubling_a_string_by_assign_is_refused()
    {
        var error = Assert.Throws<TemplateRenderException>(() =>
            TemplateKit.Sms("{% assign s = 'xxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}"));

        Assert.Contains($"an assigned text is longer than {TemplateLimits.MaxOutputLength} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doubling_an_array_by_assign_is_refused()
    {
        var error = Assert.Throws<TemplateRenderException>(() =>
            TemplateKit.Sms("{% assign a = (1..100) %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}"));

        Assert.Contains($"an assigned array holds more than {TemplateLimits.MaxCollectionLength} items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_past_the_limit_is_refused()
    {
        var big = new string('x', 10_000);
        var error = Assert.Throws<TemplateRenderException>(() => TemplateKit.Sms(
            "{% capture c %}{% for i in (1..1000) %}{{ customer.traits.big }}{% endfor %}{% endcapture %}{{ c | size }}",
            TemplateKit.Customer(JsonSerializer.Serialize(new { big }))));

        Assert.Contains($"the output is longer than {TemplateLimits.MaxOutputLength} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_within_the_limit_works() =>
        Assert.Equal("HI MEI", TemplateKit.Sms("{% capture c %}hi {{ customer.traits.name }}{% endcapture %}{{ c | upcase }}", TemplateKit.Customer("""{ "name": "Mei" }""")));

    [Theory]
    [InlineData(10_000)]
    [InlineData(TemplateLimits.MaxNesting + 1)]
    public void Deeply_nested_blocks_are_refused_when_saved_instead_of_overflowing_the_stack(int depth)
    {
        var liquid = string.Concat(Enumerable.Repeat("{% if true %}", depth)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", depth));

        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = liquid }), Channel.Sms);

        Assert.Equal($"nests blocks more than {TemplateLimits.MaxNesting} deep", Assert.Single(problems).Message);
    }

    [Fact]
    public void Blocks_nested_to_the_limit_are_accepted()
    {
        var depth = TemplateLimits.MaxNesting;
        var liquid = string.Concat(Enumerable.Repeat("{%- if true -%}", depth)) + "x" + string.Concat(Enumerable.Repeat("{%- endif -%}", depth));

        Assert.Equal("x", TemplateKit.Sms(liquid));
    }

    [Fact]
    public void Many_blocks_side_by_side_are_not_nesting() =>
        Assert.Equal(200, TemplateKit.Sms(string.Concat(Enumerable.Repeat("{% if true %}y{% endif %}", 200))).Length);

    [Fact]
    public void Closing_tags_hidden_in_raw_do_not_hide_nesting()
    {
        var hidden = "{% raw %}" + string.Concat(Enumerable.Repeat("{% endif %}", 20)) + "{% endraw %}";
        var liquid = string.Concat(Enumerable.Repeat("{% if true %}", 20)) + hidden + string.Concat(Enumerable.Repeat("{% if true %}", 20));

        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = liquid }), Channel.Sms);

        Assert.Equal($"nests blocks more than {TemplateLimits.MaxNesting} deep", Assert.Single(problems).Message);
    }

    [Fact]
    public void Quoted_closing_delimiter_does_not_hide_a_filter_chain()
    {
        var liquid = "{{ 'a' | append: '}}'" + string.Concat(Enumerable.Repeat(" | upcase", 5000)) + " }}";

        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = liquid }), Channel.Sms);

        Assert.Equal($"chains more than {TemplateLimits.MaxFiltersPerExpression} filters in one expression", Assert.Single(problems).Message);
    }

    [Theory]
    [InlineData("{{ a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[0]]]]]]]]]]]]]]]]]]]]]]]]]] }}")]
    [InlineData("{{ ((((((((((((((((((((((((((a)))))))))))))))))))))))))) }}")]
    public void Deeply_nested_brackets_are_refused(string liquid)
    {
        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = liquid }), Channel.Sms);

        Assert.Equal($"has more than {TemplateLimits.MaxNesting} parentheses or brackets in one expression", Assert.Single(problems).Message);
    }

    [Fact]
    public void Source_past_the_limit_is_refused()
    {
        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = new string('x', TemplateLimits.MaxSourceLength + 1) }), Channel.Sms);

        Assert.Equal($"is longer than {TemplateLimits.MaxSourceLength} characters", Assert.Single(problems).Message);
    }

    [Fact]
    public void Filter_failing_at_render_time_throws_our_exception_naming_the_payload_string()
    {
        var template = TemplateKit.Valid("""{ "channel": "webhook", "payload": { "a": { "b": ["{{ customer.traits.n | divided_by: 0 }}"] } } }""");

        var error = Assert.Throws<TemplateRenderException>(() =>
            TemplateRenderer.Render(template, TemplateKit.Customer("""{ "n": 1 }"""), new LinkPlaceholders()));

        Assert.Equal("payload.a.b[0]", error.Location);
        Assert.NotNull(error.InnerException);
    }
}
