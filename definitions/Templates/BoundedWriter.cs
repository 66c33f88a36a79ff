using System.Globalization;
using System.Text;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Collects rendered text and refuses to grow past a limit, so a loop that prints without end fails
/// fast instead of filling memory. Fluid writes through these overloads (its async writes end here too).
/// </summary>
internal sealed class BoundedWriter(int limit) : StringWriter(CultureInfo.InvariantCulture)
{
    public override void Write(char value)
    {
        Reserve(1);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Reserve(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Reserve(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(string? value)
    {
        Reserve(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(StringBuilder? value)
    {
        Reserve(value?.Length ?? 0);
        base.Write(value);
    }

    public override Task WriteAsync(StringBuilder? value, CancellationToken cancellationToken = default)
    {
        Reserve(value?.Length ?? 0);
        return base.WriteAsync(value, cancellationToken);
    }

    private void Reserve(int count)
    {
        if (GetStringBuilder().Length + count > limit)
        {
            throw new InvalidOperationException($"the output is longer than {limit} characters");
        }
    }
}
