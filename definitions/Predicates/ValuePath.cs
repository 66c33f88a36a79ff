using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Predicates;

/// <summary>
/// A value read when a definition is evaluated, written <c>trigger.properties.orderId</c>,
/// <c>event.properties.x</c> or <c>customer.traits.x</c>; dots in <see cref="Name"/> reach into nested values.
/// </summary>
public sealed record ValuePath(ValueRoot Root, string Name)
{
    private static readonly (ValueRoot Root, string Prefix)[] Prefixes =
    [
        (ValueRoot.TriggerProperties, "trigger.properties."),
        (ValueRoot.EventProperties, "event.properties."),
        (ValueRoot.CustomerTraits, "customer.traits."),
    ];

    /// <summary>
    /// Reads <paramref name="text"/>, reporting problems at <paramref name="path"/>. Without
    /// <paramref name="runPathsAllowed"/> (outside a journey run: segments, a trigger's where) only
    /// <c>customer.traits.…</c> is accepted.
    /// </summary>
    public static ValuePath? Read(string text, string path, Problems problems, bool runPathsAllowed)
    {
        var (root, prefix) = Prefixes.FirstOrDefault(p => text.StartsWith(p.Prefix, StringComparison.Ordinal));
        if (prefix is null)
        {
            problems.Add(path, $"must start with {ObjectReader.Quote(Prefixes.Select(p => p.Prefix))}, not '{text}'");
            return null;
        }

        var name = text[prefix.Length..];
        if (!IsNestedName(name))
        {
            problems.Add(path, $"must name a value after '{prefix}', with no empty part between dots, not '{text}'");
            return null;
        }

        if (root != ValueRoot.CustomerTraits && !runPathsAllowed)
        {
            problems.Add(path, $"cannot read '{text}' here: trigger and event properties belong to a journey run, and only 'customer.traits.…' exists outside one");
            return null;
        }

        return new ValuePath(root, name);
    }

    /// <summary>A name, or names joined by dots to reach into nested values: none of the parts empty.</summary>
    internal static bool IsNestedName(string name) => name.Split('.').All(part => part.Length > 0);

    public override string ToString() => Prefixes.First(p => p.Root == Root).Prefix + Name;
}
