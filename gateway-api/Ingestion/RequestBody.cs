using System.IO.Compression;

namespace Waymark.Gateway.Ingestion;

/// <summary>
/// Reads a request body whatever its Content-Type, inflating <c>Content-Encoding: gzip</c> as Segment's
/// SDKs send it, and enforcing the size limit on the decompressed bytes.
/// </summary>
internal static class RequestBody
{
    public enum Outcome { Read, TooLarge, BadEncoding }

    public static async Task<(Outcome Outcome, ReadOnlyMemory<byte> Body)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        Stream source = request.Body;
        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            source = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        }
        else if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (Outcome.BadEncoding, default);
        }

        await using (source)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            try
            {
                int read;
                while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        return (Outcome.TooLarge, default);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            catch (InvalidDataException)
            {
                return (Outcome.BadEncoding, default); // not gzip after all
            }

            return (Outcome.Read, buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
    }
}
