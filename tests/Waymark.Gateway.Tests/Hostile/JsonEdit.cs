using System.Text;
using System.Text.Json;
using Waymark.Definitions.Validation;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// One change to a valid JSON body, made at the byte level so that it can write what no JSON writer would: invalid
/// UTF-8, escaped lone surrogates, thousands of nested brackets, a member twice.
/// </summary>
internal abstract record JsonEdit(string Path)
{
    /// <summary>The value at <see cref="Path"/> becomes these bytes, written as they are; made when the body is.</summary>
    public sealed record Replace(string Path, Func<byte[]> Raw) : JsonEdit(Path);

    /// <summary>The object at <see cref="Path"/> gets one more member first, its name and value written as they are.</summary>
    public sealed record AddMember(string Path, byte[] RawName, byte[] RawValue) : JsonEdit(Path);

    /// <summary>The object at <see cref="Path"/> repeats its first member.</summary>
    public sealed record DuplicateFirst(string Path) : JsonEdit(Path);

    /// <summary>Every value of the document and its JSON path, outside the caller's own objects (whose contents are anything).</summary>
    public static IEnumerable<(string Path, JsonElement Value)> Values(JsonElement root, IReadOnlySet<string> freeObjects)
    {
        var pending = new Stack<(string, JsonElement)>([(JsonPath.Root, root)]);
        while (pending.TryPop(out var item))
        {
            yield return item;
            var (path, value) = item;
            if (freeObjects.Contains(path))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject().Reverse())
                {
                    pending.Push((JsonPath.Property(path, member.Name), member.Value));
                }
            }
            else if (value.ValueKind == JsonValueKind.Array)
            {
                var items = value.EnumerateArray().ToList();
                for (var i = items.Count - 1; i >= 0; i--)
                {
                    pending.Push((JsonPath.Index(path, i), items[i]));
                }
            }
        }
    }

    public byte[] Apply(JsonElement root)
    {
        var output = new MemoryStream();
        Write(root, JsonPath.Root, output);
        return output.ToArray();
    }

    private void Write(JsonElement value, string path, MemoryStream output)
    {
        if (this is Replace replace && path == Path)
        {
            output.Write(replace.Raw());
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.WriteByte((byte)'{');
                var members = value.EnumerateObject().ToList();
                var written = 0;
                if (path == Path)
                {
                    if (this is AddMember add)
                    {
                        WriteMember(output, add.RawName, add.RawValue, ref written);
                    }
                    else if (this is DuplicateFirst)
                    {
                        members.Insert(0, members[0]);
                    }
                }

                foreach (var member in members)
                {
                    var memberPath = JsonPath.Property(path, member.Name);
                    if (written++ > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    output.Write(JsonSerializer.SerializeToUtf8Bytes(member.Name));
                    output.WriteByte((byte)':');
                    Write(member.Value, memberPath, output);
                }

                output.WriteByte((byte)'}');
                break;
            case JsonValueKind.Array:
                output.WriteByte((byte)'[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    Write(item, JsonPath.Index(path, index++), output);
                }

                output.WriteByte((byte)']');
                break;
            default:
                output.Write(Encoding.UTF8.GetBytes(value.GetRawText()));
                break;
        }
    }

    private static void WriteMember(MemoryStream output, byte[] rawName, byte[] rawValue, ref int written)
    {
        written++;
        output.Write(rawName);
        output.WriteByte((byte)':');
        output.Write(rawValue);
    }
}
