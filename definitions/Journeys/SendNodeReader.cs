using Waymark.Definitions.Templates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>Reads a send node: its channel, category and content (inline, stored, or variants with an experiment).</summary>
internal sealed class SendNodeReader(DefinitionContext context, Problems problems, bool journeyHasGoal)
{
    private const string Template = "template";
    private const string TemplateId = "templateId";
    private const string Variants = "variants";
    private const string Experiment = "experiment";
    private const string Metric = "metric";

    private static readonly string[] ContentFields = [Template, TemplateId, Variants];

    private static readonly Dictionary<string, MessageCategory> Categories = new(StringComparer.Ordinal)
    {
        ["marketing"] = MessageCategory.Marketing,
        ["transactional"] = MessageCategory.Transactional,
    };

    private static readonly Dictionary<string, ExperimentMetric> Metrics = new(StringComparer.Ordinal)
    {
        ["click"] = ExperimentMetric.Click,
        ["open"] = ExperimentMetric.Open,
        ["goal"] = ExperimentMetric.Goal,
    };

    public SendNode? Read(ObjectReader node, string id, EdgeList edges)
    {
        var channelName = node.OneOf("channel", ChannelFields.ChannelNames, required: true);
        Channel? channel = channelName is not null && ChannelFields.TryParse(channelName, out var parsed) ? parsed : null;
        var categoryName = node.OneOf("category", Categories.Keys);
        var content = ReadContent(node, channel);
        var next = edges.Read(node, Edge.Next);
        return channel is null || content is null || next is null
            ? null
            : new SendNode(id, channel.Value, categoryName is null ? MessageCategory.Marketing : Categories[categoryName], content, next);
    }

    private MessageContent? ReadContent(ObjectReader node, Channel? channel)
    {
        var given = ContentFields.Where(node.Has).ToList();
        if (given.Count == 0)
        {
            problems.Add(node.Path, $"needs one of {ObjectReader.Quote(ContentFields)}");
        }
        else if (given.Count > 1)
        {
            problems.Add(node.Path, $"give only one of {ObjectReader.Quote(ContentFields)}, not {string.Join(" and ", given.Select(f => $"'{f}'"))}");
        }

        // Every field is read, even beside another, so each of their problems is reported too.
        var inline = ReadTemplate(node, Template, channel);
        var stored = ReadTemplateId(node, channel);
        var variants = ReadVariants(node, channel);
        var experiment = ReadExperiment(node, channel);
        if (given.Count != 1)
        {
            return null;
        }

        return given[0] switch
        {
            Template => inline is null ? null : new InlineContent(inline),
            TemplateId => stored is null ? null : new StoredContent(stored),
            _ => variants is null ? null : new VariantContent(variants, experiment),
        };
    }

    private MessageTemplate? ReadTemplate(ObjectReader reader, string field, Channel? channel, bool required = false)
    {
        var element = reader.Field(field, required);

        // A template is only checked against a known channel; a bad channel is reported on its own.
        return element is { } template && channel is { } known
            ? TemplateReader.ReadInlineScanned(template, known, reader.PathOf(field), problems)
            : null;
    }

    private string? ReadTemplateId(ObjectReader node, Channel? channel)
    {
        if (node.Text(TemplateId) is not { } templateId)
        {
            return null;
        }

        if (!context.Templates.TryGetValue(templateId, out var storedChannel))
        {
            problems.Add(node.PathOf(TemplateId), $"there is no stored template '{templateId}'");
            return null;
        }

        if (channel is { } sent && sent != storedChannel)
        {
            problems.Add(
                node.PathOf(TemplateId),
                $"template '{templateId}' is for {ChannelFields.NameOf(storedChannel)}, this node sends {ChannelFields.NameOf(sent)}");
            return null;
        }

        return templateId;
    }

    private List<MessageVariant>? ReadVariants(ObjectReader node, Channel? channel)
    {
        if (node.Array(Variants) is not { } items)
        {
            return null;
        }

        var choices = new List<WeightedChoices.Choice>();
        var variants = new List<MessageVariant>();
        foreach (var (item, path) in items)
        {
            if (ObjectReader.Open(item, path, problems) is not { } variant)
            {
                choices.Add(new WeightedChoices.Choice(path, null, null));
                continue;
            }

            var name = variant.Text("name", required: true);
            var weight = (int?)variant.WholeNumber("weight", 0, WeightedChoices.TotalWeight, required: true);
            var template = ReadTemplate(variant, Template, channel, required: true);
            variant.RejectUnknownFields();
            choices.Add(new WeightedChoices.Choice(path, name, weight));
            if (name is not null && weight is not null && template is not null)
            {
                variants.Add(new MessageVariant(name, weight.Value, template));
            }
        }

        WeightedChoices.Check(choices, node.PathOf(Variants), Variants, problems);
        return variants;
    }

    private Experiment? ReadExperiment(ObjectReader node, Channel? channel)
    {
        if (node.Nested(Experiment) is not { } experiment)
        {
            return null;
        }

        if (!node.Has(Variants))
        {
            problems.Add(experiment.Path, $"needs '{Variants}' in the same node: an experiment races a message's variants");
        }

        var metricName = experiment.OneOf(Metric, Metrics.Keys, required: true);
        var testPercent = (int?)experiment.WholeNumber("testPercent", 1, 100, required: true);
        var duration = experiment.Duration("duration", required: true);
        experiment.RejectUnknownFields();

        ExperimentMetric? metric = metricName is null ? null : Metrics[metricName];
        if (metric == ExperimentMetric.Goal && !journeyHasGoal)
        {
            problems.Add(experiment.PathOf(Metric), "'goal' needs the journey to have a 'goal'");
        }
        else if (metric == ExperimentMetric.Open && channel is { } sent && sent != Channel.Email)
        {
            problems.Add(experiment.PathOf(Metric), $"'open' is measured for email only; this node sends {ChannelFields.NameOf(sent)}");
        }

        return metric is null || testPercent is null || duration is null
            ? null
            : new Experiment(metric.Value, testPercent.Value, duration.Value);
    }
}
