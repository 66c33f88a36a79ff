using Microsoft.Extensions.Options;
using Waymark.Storage;

namespace Waymark.Gateway.Workspaces;

/// <summary>Section <c>Waymark:Bootstrap</c>: the first keys of the <c>default</c> workspace, for scripted set-ups.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Waymark:Bootstrap";
    public const string Workspace = "default";

    public string? WriteKey { get; set; }

    public string? AdminKey { get; set; }

    public bool Configured => WriteKey is not null || AdminKey is not null;
}

/// <summary>
/// A cluster has many gateways and no single file to write generated keys to, so it must be given them;
/// and a configured key must be hard to guess.
/// </summary>
internal sealed class BootstrapOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<BootstrapOptions>
{
    private const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        var failures = new List<string>();
        if (!options.Configured && storage.Value.Provider != StorageProvider.Sqlite)
        {
            failures.Add("A cluster needs its first keys configured: set Waymark:Bootstrap:WriteKey and Waymark:Bootstrap:AdminKey "
                + "(environment variables Waymark__Bootstrap__WriteKey and Waymark__Bootstrap__AdminKey).");
        }

        if (options.Configured)
        {
            foreach (var (key, value) in new[] { ("WriteKey", options.WriteKey), ("AdminKey", options.AdminKey) })
            {
                if (value is null || value.Length < MinimumKeyLength || value.Any(char.IsWhiteSpace))
                {
                    failures.Add($"Waymark:Bootstrap:{key} must be set, at least {MinimumKeyLength} characters, with no white space.");
                }
            }

            if (options.WriteKey == options.AdminKey)
            {
                failures.Add("Waymark:Bootstrap:WriteKey and Waymark:Bootstrap:AdminKey must differ.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
