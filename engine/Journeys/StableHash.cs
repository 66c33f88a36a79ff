using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Waymark.Engine.Journeys;

/// <summary>
/// SHA-256 over a list of texts, each length-prefixed so no two lists hash alike ("ab","c" vs "a","bc").
/// The same in every process and release, which stable choices and derived ids rely on.
/// </summary>
internal static class StableHash
{
    // Crockford's base 32 in lower case: URL-safe, and no i, l, o or u to misread.
    private const string Base32Digits = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>The length of <see cref="Id"/>: 26 digits of 5 bits carry 130 bits of the hash.</summary>
    public const int IdLength = 26;

    /// <summary>A number from 0 to 99, uniform over inputs, the same for the same <paramref name="parts"/>.</summary>
    public static int Percentile(params ReadOnlySpan<string> parts)
    {
        var hash = Hash(parts);
        // The high word of value × 100 spreads 64 bits over 0..99 with no modulo bias worth naming.
        return (int)Math.BigMul(BinaryPrimitives.ReadUInt64BigEndian(hash), 100UL, out _);
    }

    /// <summary>A short URL-safe id of <paramref name="parts"/>, <see cref="IdLength"/> characters.</summary>
    public static string Id(params ReadOnlySpan<string> parts)
    {
        var hash = Hash(parts);
        return string.Create(IdLength, hash, static (digits, bytes) =>
        {
            for (var i = 0; i < digits.Length; i++)
            {
                var bit = i * 5;
                var pair = (bytes[bit / 8] << 8) | bytes[(bit / 8) + 1];
                digits[i] = Base32Digits[(pair >> (11 - (bit % 8))) & 31];
            }
        });
    }

    private static byte[] Hash(ReadOnlySpan<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return hash.GetHashAndReset();
    }
}
