
namespace Waymark.Storage.Tests.Support;

/// <summary>An empty database of one kind, made for one test class.</summary>
public interface ITestDatabase
{
    WaymarkDatabase Database { get; }
}
