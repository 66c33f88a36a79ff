using NodaTime;

namespace Waymark.Model.Time;

/// <summary>IANA time zones from NodaTime's embedded database, so results do not depend on the host's tzdata.</summary>
public static class TimeZones
{
    public static DateTimeZone? Find(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
}
