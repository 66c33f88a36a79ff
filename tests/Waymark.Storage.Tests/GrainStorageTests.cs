using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Activators;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteGrainStorageTests(SqliteTestDatabase test) : GrainStorageTests<SqliteTestDatabase>(test);

public sealed class PostgresGrainStorageTests(PostgresTestDatabase test) : GrainStorageTests<PostgresTestDatabase>(test);

/// <summary>The ways a grain id can be keyed, each stored in different columns.</summary>
public static class GrainKeyKinds
{
    public static TheoryData<string> All => ["integer", "integer with extension", "guid", "guid with extension", "string"];
}

/// <summary>The grain state queries, driven through Orleans' ADO.NET grain storage.</summary>
public abstract class GrainStorageTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    private const string GrainTypeName = "Waymark.Journeys.JourneyGrain";

    private const string OtherGrainTypeName = "Waymark.Journeys.OtherGrain";

    private static readonly GrainType JourneyType = GrainType.Create("journey");

    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";

    public Task InitializeAsync() => SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_grain_never_written_has_no_record_and_no_etag()
    {
        var storage = await CreateStorageAsync();
        var state = new GrainState<Counter>();

        await storage.ReadStateAsync(GrainTypeName, Grain("integer"), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(new Counter { Value = 0 }, state.State);
    }

    [Theory]
    [MemberData(nameof(GrainKeyKinds.All), MemberType = typeof(GrainKeyKinds))]
    public async Task Written_state_reads_back_with_the_etag_of_the_write(string keyKind)
    {
        var storage = await CreateStorageAsync();
        var grain = Grain(keyKind);
        var written = new GrainState<Counter>(new Counter { Value = 7 });

        await storage.WriteStateAsync(GrainTypeName, grain, written);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync(GrainTypeName, grain, read);

        Assert.NotNull(written.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(new Counter { Value = 7 }, read.State);
    }

    [Fact]
    public async Task Each_write_moves_the_etag_on()
    {
        var storage = await CreateStorageAsync();
        var state = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync(GrainTypeName, Grain("integer"), state);
        var firstEtag = state.ETag;

        state.State = new Counter { Value = 2 };
        await storage.WriteStateAsync(GrainTypeName, Grain("integer"), state);

        Assert.NotEqual(firstEtag, state.ETag);
    }

    [Fact]
    public async Task Writing_with_a_stale_etag_is_a_conflict_and_keeps_the_stored_state()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("guid");
        var first = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync(GrainTypeName, grain, first);
        var stale = new GrainState<Counter>(new Counter { Value = 99 }, first.ETag);
        first.State = new Counter { Value = 2 };
        await storage.WriteStateAsync(GrainTypeName, grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainTypeName, grain, stale));

        Assert.Equal(new Counter { Value = 2 }, (await ReadAsync(storage, grain)).State);
    }

    [Fact]
    public async Task Writing_without_an_etag_over_an_existing_record_is_a_conflict()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("string");
        await storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = 2 })));

        Assert.Equal(new Counter { Value = 1 }, (await ReadAsync(storage, grain)).State);
    }

    [Fact]
    public async Task Writing_with_an_etag_for_a_record_that_is_gone_is_a_conflict()
    {
        var storage = await CreateStorageAsync();

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(GrainTypeName, Grain("integer"), new GrainState<Counter>(new Counter { Value = 1 }, "3")));

        Assert.False((await ReadAsync(storage, Grain("integer"))).RecordExists);
    }

    [Fact]
    public async Task Clearing_keeps_the_row_and_moves_the_etag_on()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("integer with extension");
        var state = new GrainState<Counter>(new Counter { Value = 5 });
        await storage.WriteStateAsync(GrainTypeName, grain, state);
        var writtenEtag = state.ETag;

        await storage.ClearStateAsync(GrainTypeName, grain, state);
        var read = await ReadAsync(storage, grain);

        Assert.False(state.RecordExists);
        Assert.NotEqual(writtenEtag, state.ETag);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(new Counter { Value = 0 }, read.State);

        read.State = new Counter { Value = 6 };
        await storage.WriteStateAsync(GrainTypeName, grain, read);
        Assert.Equal(new Counter { Value = 6 }, (await ReadAsync(storage, grain)).State);
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_is_a_conflict_and_keeps_the_stored_state()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("integer");
        var state = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync(GrainTypeName, grain, state);
        var stale = new GrainState<Counter>(new Counter(), state.ETag) { RecordExists = true };
        await storage.WriteStateAsync(GrainTypeName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainTypeName, grain, stale));

        Assert.Equal(new Counter { Value = 1 }, (await ReadAsync(storage, grain)).State);
    }

    [Fact]
    public async Task Deleting_on_clear_removes_the_record_so_the_next_write_starts_afresh()
    {
        var storage = await CreateStorageAsync(deleteStateOnClear: true);
        var grain = Grain("guid with extension");
        var state = new GrainState<Counter>(new Counter { Value = 5 });
        await storage.WriteStateAsync(GrainTypeName, grain, state);

        await storage.ClearStateAsync(GrainTypeName, grain, state);

        Assert.Null(state.ETag);
        var read = await ReadAsync(storage, grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        await storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = 6 }));
        Assert.Equal(new Counter { Value = 6 }, (await ReadAsync(storage, grain)).State);
    }

    [Fact]
    public async Task Deleting_with_a_stale_etag_is_a_conflict_and_keeps_the_record()
    {
        var storage = await CreateStorageAsync(deleteStateOnClear: true);
        var grain = Grain("integer");
        var state = new GrainState<Counter>(new Counter { Value = 1 });
        await storage.WriteStateAsync(GrainTypeName, grain, state);
        var stale = new GrainState<Counter>(new Counter(), state.ETag) { RecordExists = true };
        await storage.WriteStateAsync(GrainTypeName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainTypeName, grain, stale));

        Assert.True((await ReadAsync(storage, grain)).RecordExists);
    }

    [Fact]
    public async Task Grains_whose_hashes_collide_keep_separate_state()
    {
        var storage = await CreateStorageAsync(hashPicker: new ConstantHasherPicker());
        var guid = Guid.Parse("7f1b8a2c-93d4-4e5f-a6b7-c8d9e0f1a2b3");
        // Same second half, so the same GrainIdN1: only GrainIdN0 tells the two apart.
        var guidSharingN1 = Guid.Parse("00000000-0000-0000-a6b7-c8d9e0f1a2b3");
        GrainId[] grains =
        [
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(42)),
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(43)),
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(42, "customer-7")),
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateGuidKey(guidSharingN1)),
            GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateGuidKey(guid, "customer-7")),
            GrainId.Create(JourneyType, "customer-7"),
            GrainId.Create(JourneyType, "customer-8"),
        ];

        foreach (var (grain, value) in grains.Select((g, i) => (g, i)))
        {
            await storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = value }));
        }
        await storage.WriteStateAsync(OtherGrainTypeName, grains[0], new GrainState<Counter>(new Counter { Value = 100 }));

        foreach (var (grain, value) in grains.Select((g, i) => (g, i)))
        {
            Assert.Equal(new Counter { Value = value }, (await ReadAsync(storage, grain)).State);
        }
        Assert.Equal(new Counter { Value = 100 }, (await ReadAsync(storage, grains[0], OtherGrainTypeName)).State);
    }

    [Fact]
    public async Task Concurrent_first_writes_let_exactly_one_through()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("integer");

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 6).Select(value =>
            Outcome(storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = value })))));

        Assert.Single(outcomes, succeeded => succeeded);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_etag_let_exactly_one_through()
    {
        var storage = await CreateStorageAsync();
        var grain = Grain("integer");
        var state = new GrainState<Counter>(new Counter { Value = 0 });
        await storage.WriteStateAsync(GrainTypeName, grain, state);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 6).Select(value =>
            Outcome(storage.WriteStateAsync(GrainTypeName, grain, new GrainState<Counter>(new Counter { Value = value }, state.ETag)))));

        Assert.Single(outcomes, succeeded => succeeded);
    }

    private static async Task<bool> Outcome(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }

    private static GrainId Grain(string keyKind) => keyKind switch
    {
        "integer" => GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(42)),
        "integer with extension" => GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(42, "customer-7")),
        "guid" => GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("7f1b8a2c-93d4-4e5f-a6b7-c8d9e0f1a2b3"))),
        "guid with extension" => GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateGuidKey(Guid.Parse("7f1b8a2c-93d4-4e5f-a6b7-c8d9e0f1a2b3"), "customer-7")),
        "string" => GrainId.Create(JourneyType, "customer-7"),
        _ => throw new ArgumentOutOfRangeException(nameof(keyKind), keyKind, null),
    };

    private static async Task<GrainState<Counter>> ReadAsync(AdoNetGrainStorage storage, GrainId grain, string grainTypeName = GrainTypeName)
    {
        var state = new GrainState<Counter>();
        await storage.ReadStateAsync(grainTypeName, grain, state);
        return state;
    }

    private async Task<AdoNetGrainStorage> CreateStorageAsync(bool deleteStateOnClear = false, IStorageHasherPicker? hashPicker = null)
    {
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = test.Database.AdoNetInvariant,
            ConnectionString = test.Database.ConnectionString,
            GrainStorageSerializer = new JsonStateSerializer(),
            DeleteStateOnClear = deleteStateOnClear,
        };
        var storage = new AdoNetGrainStorage(
            new NewInstanceActivators(),
            NullLogger<AdoNetGrainStorage>.Instance,
            Options.Create(options),
            Options.Create(new ClusterOptions { ClusterId = "cluster", ServiceId = _serviceId }),
            "waymark");
        if (hashPicker is not null)
        {
            storage.HashPicker = hashPicker;
        }

        // The storage loads its queries when the silo starts.
        var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
        storage.Participate(lifecycle);
        await lifecycle.OnStart();
        return storage;
    }

    public sealed record Counter
    {
        public int Value { get; init; }
    }

    private sealed class JsonStateSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input);

        public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>();
    }

    private sealed class NewInstanceActivators : IActivatorProvider
    {
        public IActivator<T> GetActivator<T>() => new Activator<T>();

        private sealed class Activator<T> : IActivator<T>
        {
            public T Create() => System.Activator.CreateInstance<T>();
        }
    }

    /// <summary>Gives every grain the same hashes, to show the stored key tells grains apart without them.</summary>
    private sealed class ConstantHasherPicker : IStorageHasherPicker, IHasher
    {
        public ICollection<IHasher> HashProviders => [this];

        public string Description => "Every input hashes to 17.";

        public IHasher PickHasher<T>(string serviceId, string storageProviderInstanceName, string grainType, GrainId grainId, IGrainState<T> grainState, string? tag = null) => this;

        public int Hash(byte[] data) => 17;
    }
}
