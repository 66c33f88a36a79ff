using System.Security.Cryptography;
using System.Text;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>
/// Keys are random 190-bit secrets, so a fast unsalted hash is enough to make a stolen table useless
/// while keeping authentication cheap enough for the ingestion hot path.
/// </summary>
public static class AccessKeyHash
{
    public static string Of(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
