using System.Text.Json;
using Orleans.Storage;
using Waymark.Model;

namespace Waymark.Hosting;

/// <summary>
/// Grain state as plain camelCase JSON with no type names: the reading side names the type, so renaming
/// or moving a state class does not orphan its rows, and rows stay readable to an operator.
/// </summary>
public sealed class StateSerialization : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, WaymarkJson.Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, WaymarkJson.Options)
        ?? throw new JsonException($"Stored state for {typeof(T).Name} is null.");
}
