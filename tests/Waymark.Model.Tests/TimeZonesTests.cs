using Waymark.Model.Time;

namespace Waymark.Model.Tests;

public class TimeZonesTests
{
    [Theory]
    [InlineData("UTC")]
    [InlineData("Asia/Shanghai")]
    [InlineData("America/New_York")]
    public void Iana_zones_are_found(string id) => Assert.Equal(id, TimeZones.Find(id)?.Id);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus")]
    [InlineData("China Standard Time")]
    public void Unknown_zones_are_not(string? id) => Assert.Null(TimeZones.Find(id));
}
