using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Serialization;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Gateway.Workspaces;

/// <summary>
/// Workspace settings as api.md §6 shows them. <c>PUT</c> replaces them: an omitted field takes its
/// default, an explicit <c>null</c> turns quiet hours or the frequency cap off.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SettingsDocument
{
    public string? Timezone { get; set; } = WorkspaceSettings.Defaults.Timezone;

    public QuietHoursDocument? QuietHours { get; set; } = ToDocument(WorkspaceSettings.Defaults.QuietHours);

    public FrequencyCapDocument? FrequencyCap { get; set; } = ToDocument(WorkspaceSettings.Defaults.FrequencyCap);

    public List<string>? IdentityTraits { get; set; } = [.. WorkspaceSettings.Defaults.IdentityTraits];

    public string? RfmWindow { get; set; } = IsoDuration.Format(WorkspaceSettings.Defaults.RfmWindow);

    /// <summary>Shown to admins only; read-only (a <c>PUT</c> carrying it back leaves it unchanged).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InboxSecret { get; set; }

    public static SettingsDocument From(WorkspaceSettings settings, string? inboxSecret) => new()
    {
        Timezone = settings.Timezone,
        QuietHours = ToDocument(settings.QuietHours),
        FrequencyCap = ToDocument(settings.FrequencyCap),
        IdentityTraits = [.. settings.IdentityTraits],
        RfmWindow = IsoDuration.Format(settings.RfmWindow),
        InboxSecret = inboxSecret,
    };

    /// <summary>The settings this document asks for, or every problem with it.</summary>
    public (WorkspaceSettings? Settings, List<FieldError> Errors) Validate()
    {
        var errors = new List<FieldError>();
        if (TimeZones.Find(Timezone) is null)
        {
            errors.Add(new("$.timezone", "must be an IANA time zone such as 'UTC' or 'Asia/Shanghai'"));
        }

        QuietHours? quiet = null;
        if (QuietHours is { } q)
        {
            var start = ParseClock(q.Start, "$.quietHours.start", errors);
            var end = ParseClock(q.End, "$.quietHours.end", errors);
            if (start is { } s && end is { } e)
            {
                if (s == e)
                {
                    errors.Add(new("$.quietHours.end", "must differ from start (use null for no quiet hours)"));
                }

                quiet = new QuietHours(s, e);
            }
        }

        FrequencyCap? cap = null;
        if (FrequencyCap is { } c)
        {
            if (c.Count is < 1 or > 1000)
            {
                errors.Add(new("$.frequencyCap.count", "must be between 1 and 1000 (use null for no cap)"));
            }

            var window = ParseDuration(c.Window, "$.frequencyCap.window", TimeSpan.FromDays(365), errors);
            cap = window is { } w ? new FrequencyCap(c.Count, w) : null;
        }

        var traits = IdentityTraits ?? [];
        for (var i = 0; i < traits.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(traits[i]) || traits[i].Length > 64)
            {
                errors.Add(new($"$.identityTraits[{i}]", "must be a trait name of 1 to 64 characters"));
            }
        }

        if (traits.Count > 10)
        {
            errors.Add(new("$.identityTraits", "may name at most 10 traits"));
        }

        var rfm = ParseDuration(RfmWindow, "$.rfmWindow", TimeSpan.FromDays(400), errors);
        return errors.Count > 0
            ? (null, errors)
            : (new WorkspaceSettings(Timezone!, quiet, cap, [.. traits.Distinct(StringComparer.Ordinal)], rfm!.Value), errors);
    }

    private static QuietHoursDocument? ToDocument(QuietHours? quiet) =>
        quiet is null ? null : new(Clock(quiet.Start), Clock(quiet.End));

    private static FrequencyCapDocument? ToDocument(FrequencyCap? cap) =>
        cap is null ? null : new(cap.Count, IsoDuration.Format(cap.Window));

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly? ParseClock(string? text, string path, List<FieldError> errors)
    {
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new(path, "must be a time of day as 'HH:mm'"));
        return null;
    }

    private static TimeSpan? ParseDuration(string? text, string path, TimeSpan max, List<FieldError> errors)
    {
        if (!IsoDuration.TryParse(text, out var duration, out var error))
        {
            errors.Add(new(path, error));
            return null;
        }

        if (duration <= TimeSpan.Zero || duration > max)
        {
            errors.Add(new(path, $"must be positive and at most {IsoDuration.Format(max)}"));
            return null;
        }

        return duration;
    }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record QuietHoursDocument(string? Start, string? End);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FrequencyCapDocument(int Count, string? Window);
