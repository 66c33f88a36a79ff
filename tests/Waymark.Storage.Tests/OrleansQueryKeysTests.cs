using System.Reflection;
using System.Text.RegularExpressions;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

/// <summary>Keeps <see cref="OrleansQueryKeys"/> in step with the Orleans version referenced: an upgrade that
/// requires a new query fails here before it fails a silo at start-up.</summary>
public sealed class OrleansQueryKeysTests
{
    [Fact]
    public void The_key_list_has_every_query_the_clustering_provider_requires()
    {
        Assert.Subset(OrleansQueryKeys.Clustering.ToHashSet(), RequiredBy(typeof(AdoNetClusteringTable).Assembly, "Orleans.Clustering.AdoNet.Storage.DbStoredQueries"));
    }

    [Fact]
    public void The_key_list_has_every_query_the_reminder_provider_requires()
    {
        var remindersAssembly = Assembly.Load("Orleans.Reminders.AdoNet");

        Assert.Subset(OrleansQueryKeys.Reminders.ToHashSet(), RequiredBy(remindersAssembly, "Orleans.Reminders.AdoNet.Storage.DbStoredQueries"));
    }

    [Fact]
    public void The_key_list_has_every_query_the_grain_storage_loads()
    {
        var loaded = Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "'(\\w+Key)'").Select(m => m.Groups[1].Value);

        Assert.Equal(loaded.Order(), OrleansQueryKeys.Persistence.Order());
    }

    // Orleans checks at start-up that OrleansQuery has a row for each of these internal properties.
    private static HashSet<string> RequiredBy(Assembly assembly, string storedQueriesType) =>
        assembly.GetType(storedQueriesType, throwOnError: true)!
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name)
            .ToHashSet();
}
