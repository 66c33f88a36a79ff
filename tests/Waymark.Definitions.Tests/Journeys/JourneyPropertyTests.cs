using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Journeys;

public sealed partial class JourneyPropertyTests
{
    [Fact]
    public void Every_generated_valid_canvas_validates_with_no_problem()
    {
        CanvasGen.ValidCanvas.Sample(
            canvas =>
            {
                var json = canvas.ToJsonString();
                var parsed = TestWorkspace.Read(json);
                Assert.True(parsed.IsValid, string.Join(Environment.NewLine, parsed.Problems.Select(p => $"{p.Path}: {p.Message}")));
                var nodes = canvas["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();
                Assert.Equal(nodes.Select(n => n["id"]!.GetValue<string>()), parsed.Value!.Nodes.Select(n => n.Id));
                Assert.Equal(nodes.Select(EdgesWritten), parsed.Value.Nodes.Select(n => n.Edges.Select(e => (e.Label, e.Target)).ToList()));
            },
            iter: 500,
            print: canvas => canvas.ToJsonString());
    }

    [Fact]
    public void Mutated_canvases_never_throw_and_every_problem_path_points_into_the_document()
    {
        var mutated =
            from canvas in CanvasGen.ValidCanvas
            from mutations in Mutation.Array[1, 6]
            select Mutate(canvas, mutations);

        mutated.Sample(
            json =>
            {
                using var document = JsonDocument.Parse(json);
                var parsed = JourneyReader.Read(document.RootElement, TestWorkspace.Context);
                Assert.Equal(parsed.IsValid, parsed.Value is not null);
                foreach (var problem in parsed.Problems)
                {
                    Assert.True(PointsInto(document.RootElement, problem), $"{problem.Path}: {problem.Message}");
                }
            },
            iter: 1500,
            print: json => json);
    }

    /// <summary>The edges as the canvas writes them: the edge fields in the order the model lists them, then each branch.</summary>
    private static List<(string Label, string Target)> EdgesWritten(JsonObject node)
    {
        var edges = new[] { "next", "timeoutNext", "then", "else" }
            .Where(node.ContainsKey)
            .Select(field => (field, node[field]!.GetValue<string>()))
            .ToList();
        if (node["branches"] is JsonArray branches)
        {
            edges.AddRange(branches.Select(b => (b!["name"]!.GetValue<string>(), b["next"]!.GetValue<string>())));
        }

        return edges;
    }

    [Theory]
    [InlineData("$", true)]
    [InlineData("$.nodes[1].branches[0].next", true)]
    [InlineData(@"$['it\'s\\'].x", true)]
    [InlineData("$.nodes[", false)]
    [InlineData("$.nodes.[1]", false)]
    [InlineData("$..nodes", false)]
    [InlineData("$['open", false)]
    [InlineData("nodes[0]", false)]
    public void Path_parser_of_the_mutation_test_accepts_only_well_formed_paths(string path, bool wellFormed)
    {
        Assert.Equal(wellFormed, TryParsePath(path, out _));
    }

    [Fact]
    public void Path_check_of_the_mutation_test_refuses_a_path_outside_the_document()
    {
        using var document = JsonDocument.Parse("""{ "nodes": [ { "id": "a" } ] }""");

        Assert.True(PointsInto(document.RootElement, new DefinitionProblem("$.nodes[0].next", "is required")));
        Assert.False(PointsInto(document.RootElement, new DefinitionProblem("$.nodes[1]", "x")));
        Assert.False(PointsInto(document.RootElement, new DefinitionProblem("$.nodes[0].a.b", "x")));
        Assert.False(PointsInto(document.RootElement, new DefinitionProblem("$.nodes.id", "x")));
    }

    /// <summary>One change to a canvas; <see cref="Pick"/> chooses where, so it applies to any tree.</summary>
    private sealed record Change(ChangeKind Kind, uint Pick, string Name, JsonNode? Junk);

    private enum ChangeKind
    {
        RemoveField,
        RenameField,
        ReplaceValue,
        RetargetString,
        InsertField,
        DropArrayItem,
    }

    private static readonly string[] InterestingStrings =
    [
        "", " ", "P1D", "-P1D", "PT0S", "P1M", "P1Y", "PT1.5S", "P99999999W", "2027-05-20T20:00:00+08:00",
        "2020-01-01T00:00:00Z", "9999-12-31T23:59:59-18:00", "10:00", "24:00", "trigger.properties.x", "customer.traits.",
        "event.properties.a..b", "wait", "waitEvent", "split", "send", "exit", "email", "sms", "push", "never", "always",
        "loyal", "nope", "welcome-email", "promo-sms", "goal", "open", "exists", "between", "{{ customer.id ", "{% if %}",
        "a → b", "it's\\", "\u00e9", "control",
    ];

    private static readonly Gen<string> JunkText = Gen.Frequency(
        (3, Gen.OneOf(InterestingStrings)),
        (1, Gen.String[Gen.Char["ab$.[]'\\\" é→{}0"], 0, 12]));

    private static readonly Gen<JsonNode?> Junk = Gen.Recursive<JsonNode?>((depth, junk) =>
    {
        var scalar = Gen.Frequency<JsonNode?>(
            (1, Gen.Const(() => (JsonNode?)null)),
            (1, Gen.Bool.Select(b => (JsonNode?)b)),
            (2, Gen.Int[-200, 200].Select(i => (JsonNode?)i)),
            (1, Gen.Long.Select(l => (JsonNode?)l)),
            (1, Gen.Double[-1e300, 1e300].Select(d => (JsonNode?)d)),
            (4, JunkText.Select(s => (JsonNode?)s)));
        if (depth >= 3)
        {
            return scalar;
        }

        return Gen.Frequency(
            (4, scalar),
            (1, junk.Array[0, 3].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(JunkText, junk).Array[0, 3].Select(fields => (JsonNode?)new JsonObject(fields.DistinctBy(f => f.Item1).Select(f => KeyValuePair.Create(f.Item1, f.Item2))))));
    });

    private static readonly Gen<Change> Mutation =
        from kind in Gen.Enum<ChangeKind>()
        from pick in Gen.UInt
        from name in JunkText
        from junk in Junk
        select new Change(kind, pick, name, junk);

    private static string Mutate(JsonObject canvas, Change[] changes)
    {
        JsonNode root = (JsonObject)canvas.DeepClone();
        foreach (var change in changes)
        {
            root = Apply(root, change);
        }

        return root.ToJsonString();
    }

    private static JsonNode Apply(JsonNode root, Change change)
    {
        var all = Descendants(root).ToList();
        var target = all[(int)(change.Pick % (uint)all.Count)];
        switch (change.Kind)
        {
            case ChangeKind.RemoveField when target is JsonObject { Count: > 0 } obj:
                obj.Remove(obj.ElementAt((int)(change.Pick % (uint)obj.Count)).Key);
                break;
            case ChangeKind.RenameField when target is JsonObject { Count: > 0 } obj && !obj.ContainsKey(change.Name):
                var (name, value) = obj.ElementAt((int)(change.Pick % (uint)obj.Count));
                obj.Remove(name);
                obj[change.Name] = value;
                break;
            case ChangeKind.ReplaceValue when target.Parent is null:
                return change.Junk ?? JsonValue.Create(0);
            case ChangeKind.ReplaceValue:
                target.ReplaceWith(change.Junk);
                break;
            case ChangeKind.RetargetString when target.GetValueKind() == JsonValueKind.String && target.Parent is not null:
                var ids = all.OfType<JsonObject>().Select(o => o["id"]).OfType<JsonValue>().Select(v => v.ToJsonString().Trim('"')).ToList();
                target.ReplaceWith(ids.Count > 0 && change.Pick % 2 == 0 ? ids[(int)(change.Pick / 2 % (uint)ids.Count)] : change.Name);
                break;
            case ChangeKind.InsertField when target is JsonObject obj && !obj.ContainsKey(change.Name):
                obj[change.Name] = change.Junk;
                break;
            case ChangeKind.DropArrayItem when target is JsonArray { Count: > 0 } array:
                array.RemoveAt((int)(change.Pick % (uint)array.Count));
                break;
        }

        return root;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }

    /// <summary>
    /// Whether the problem's path is well formed and leads into the document: every step but the last
    /// must exist, and the last too unless it names a field of an object (a required field that is missing).
    /// </summary>
    private static bool PointsInto(JsonElement root, DefinitionProblem problem)
    {
        if (!TryParsePath(problem.Path, out var steps))
        {
            return false;
        }

        var current = root;
        for (var i = 0; i < steps.Count; i++)
        {
            var last = i == steps.Count - 1;
            switch (steps[i])
            {
                case string name when current.ValueKind == JsonValueKind.Object:
                    if (current.TryGetProperty(name, out var child))
                    {
                        current = child;
                    }
                    else if (!last)
                    {
                        return false;
                    }

                    break;
                case int index when current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength():
                    current = current[index];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool TryParsePath(string path, out List<object> steps)
    {
        steps = [];
        if (!path.StartsWith('$'))
        {
            return false;
        }

        var position = 1;
        while (position < path.Length)
        {
            var match = PathStep().Match(path, position);
            if (!match.Success || match.Index != position)
            {
                return false;
            }

            steps.Add(match.Groups["name"].Success ? match.Groups["name"].Value
                : match.Groups["index"].Success ? int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture)
                : Unescape().Replace(match.Groups["quoted"].Value, "$1"));
            position += match.Length;
        }

        return true;
    }

    [GeneratedRegex(@"\G(?:\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>[0-9]+)\]|\['(?<quoted>(?:[^'\\]|\\.)*)'\])")]
    private static partial Regex PathStep();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Unescape();
}
