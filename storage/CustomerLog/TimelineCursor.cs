using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Waymark.Storage.CustomerLog;

/// <summary>
/// Where a timeline page ended: the next page holds the entries after this one in timeline order. Clients see it
/// as opaque URL-safe text (<see cref="ToString"/>, <see cref="TryParse"/>): base64url of At's UTC ticks, Seq and
/// the UTF-8 customer key.
/// </summary>
public sealed record TimelineCursor(DateTimeOffset At, string CustomerKey, long Seq)
{
    private const int FixedBytes = 2 * sizeof(long);

    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    private static readonly int MaxTextLength = Base64Url.GetEncodedLength(FixedBytes + 3 * LogEntry.MaxCustomerKeyLength);

    public override string ToString()
    {
        var bytes = new byte[FixedBytes + Encoding.UTF8.GetByteCount(CustomerKey)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, At.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(sizeof(long)), Seq);
        Encoding.UTF8.GetBytes(CustomerKey, bytes.AsSpan(FixedBytes));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads text made by <see cref="ToString"/>; false for anything else a client may send.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out TimelineCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var length) != OperationStatus.Done || length <= FixedBytes)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var seq = BinaryPrimitives.ReadInt64BigEndian(bytes[sizeof(long)..]);
        var key = bytes[FixedBytes..length];
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || !Utf8.IsValid(key))
        {
            return false;
        }

        cursor = new TimelineCursor(new DateTimeOffset(ticks, TimeSpan.Zero), Encoding.UTF8.GetString(key), seq);
        return true;
    }
}
