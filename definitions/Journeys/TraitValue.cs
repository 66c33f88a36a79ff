using System.Text.Json;
using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>The value an update node sets a trait to.</summary>
public abstract record TraitValue;

/// <summary>A value written in the canvas: a string, number, boolean, array or null.</summary>
/// <param name="Value">A standalone copy, valid after the canvas document is disposed.</param>
public sealed record LiteralTraitValue(JsonElement Value) : TraitValue;

/// <summary>A value read from the run (<c>{ "path": "trigger.properties.orderId" }</c>).</summary>
public sealed record PathTraitValue(ValuePath Path) : TraitValue;
