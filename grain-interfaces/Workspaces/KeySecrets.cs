using System.Security.Cryptography;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>Random secrets and ids. 32 base62 characters carry about 190 bits.</summary>
public static class KeySecrets
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string WriteKey() => "wk_" + RandomNumberGenerator.GetString(Base62, 32);

    public static string ApiKey() => "ak_" + RandomNumberGenerator.GetString(Base62, 32);

    public static string InboxSecret() => "is_" + RandomNumberGenerator.GetString(Base62, 32);

    public static string KeyId() => "key_" + RandomNumberGenerator.GetString(Base62, 12);
}
