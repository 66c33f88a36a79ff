using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Providers;
using Waymark.Grains;
using Waymark.Grains.Definitions;
using Waymark.Grains.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Grains.Live;
using Waymark.Grains.Segments;
using Waymark.Grains.Timers;
using Waymark.Grains.Workspaces;
using Waymark.Model.Time;
using Waymark.Storage;
using Waymark.Storage.Counts;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;
using Waymark.Storage.Timers;

namespace Waymark.Hosting;

/// <summary>
/// The two ways a Waymark process joins Orleans. Both read the same configuration, create the schema
/// before Orleans starts, and use the one database for everything that must survive a restart.
/// </summary>
public static class WaymarkHosting
{
    /// <summary>
    /// Hosts a silo in this process. On SQLite it is a single node with localhost clustering; on
    /// PostgreSQL or SQL Server it joins the cluster recorded in the database.
    /// </summary>
    public static IHostApplicationBuilder AddWaymarkSilo(
        this IHostApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        var database = builder.AddWaymarkDatabase();
        var cluster = Bind<WaymarkClusterOptions>(builder, WaymarkClusterOptions.Section);
        var endpoints = Bind<SiloEndpointOptions>(builder, SiloEndpointOptions.Section);
        Bind<TimerWheelOptions>(builder, TimerWheelOptions.Section);
        Bind<SegmentOptions>(builder, SegmentOptions.Section);

        builder.Services.AddSingleton<WorkspaceSettingsCache>();
        builder.Services.AddSingleton<DefinitionContexts>();
        builder.Services.AddSingleton<JourneyDirectory>();
        builder.Services.AddSingleton<JourneyVersionCache>();
        builder.Services.AddSingleton<ExperimentStates>();
        builder.Services.AddSingleton<SegmentCatalog>();
        builder.Services.AddSingleton<RfmSums>();
        builder.Services.AddWaymarkDelivery();
        builder.Services.AddSingleton<ICustomerLog>(services => new SqlCustomerLog(
            database, logger: services.GetRequiredService<ILogger<SqlCustomerLog>>()));
        builder.Services.AddSingleton<ITimerStore>(new SqlTimerStore(database));
        builder.Services.AddSingleton<ICountStore>(new SqlCountStore(database));
        builder.Services.AddSingleton<ISegmentMembers>(new SqlSegmentMembers(database));
        builder.Services.AddHostedService<JourneyCountFlusher>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TimerShardStarter>();
        builder.Services.AddSingleton<LiveTransitions>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<LiveTransitions>());
        builder.UseOrleans(silo =>
        {
            if (database.Provider == StorageProvider.Sqlite)
            {
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort,
                    serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }
            else
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
                if (endpoints.AdvertisedAddress is { } advertised)
                {
                    var address = IPAddress.TryParse(advertised, out var parsed) ? parsed
                        : throw new InvalidOperationException($"{SiloEndpointOptions.Section}:AdvertisedAddress '{advertised}' is not an IP address.");
                    silo.ConfigureEndpoints(address, endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: true);
                }
                else
                {
                    silo.ConfigureEndpoints(endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: true);
                }
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (database.AdoNetInvariant, database.ConnectionString));
                silo.Configure<ClusterMembershipOptions>(o =>
                    (o.ProbeTimeout, o.NumMissedProbesLimit, o.NumVotesForDeathDeclaration) = (cluster.ProbeTimeout, cluster.MissedProbesLimit, cluster.VotesForDeathDeclaration));
            }

            silo.AddAdoNetGrainStorage(GrainStorage.ProviderName, o =>
            {
                (o.Invariant, o.ConnectionString) = (database.AdoNetInvariant, database.ConnectionString);
                o.GrainStorageSerializer = new StateSerialization();
            });
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (database.AdoNetInvariant, database.ConnectionString));
            silo.AddLiveStreams();
            silo.AddDashboard();
            configure?.Invoke(silo);
        });
        return builder;
    }

    /// <summary>Connects to a cluster of silo processes found through the shared database.</summary>
    public static IHostApplicationBuilder AddWaymarkClient(this IHostApplicationBuilder builder)
    {
        var database = builder.AddWaymarkDatabase();
        if (database.Provider == StorageProvider.Sqlite)
        {
            throw new InvalidOperationException(
                "Waymark:Hosting:Mode 'client' needs a shared database: set Waymark:Storage:Provider to 'postgres' or 'sqlserver'.");
        }

        var cluster = Bind<WaymarkClusterOptions>(builder, WaymarkClusterOptions.Section);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (database.AdoNetInvariant, database.ConnectionString));
            client.AddMemoryStreams(LiveStreams.ProviderName);
            client.AddDashboard();
        });
        return builder;
    }

    /// <summary>Hosts a silo or connects as a client, as <c>Waymark:Hosting:Mode</c> says.</summary>
    public static IHostApplicationBuilder AddWaymarkCluster(this IHostApplicationBuilder builder)
    {
        var hosting = Bind<HostingOptions>(builder, HostingOptions.Section);
        return hosting.Mode == HostingMode.Client ? builder.AddWaymarkClient() : builder.AddWaymarkSilo();
    }

    /// <summary>Resolves the configured database and schedules its schema migration ahead of Orleans.</summary>
    private static WaymarkDatabase AddWaymarkDatabase(this IHostApplicationBuilder builder)
    {
        var storage = Bind<StorageOptions>(builder, StorageOptions.SectionName);
        storage.ConnectionString ??= builder.Configuration.GetConnectionString("Waymark");
        var database = WaymarkDatabase.From(storage);
        builder.Services.AddSingleton(database);
        builder.Services.TryAddSingleton(WaymarkClock.RealTime);
        builder.Services.AddHostedService<SchemaInitializer>();
        return database;
    }

    /// <summary>
    /// The streams of journeys' live view (<see cref="LiveStreams"/>): in memory, as the view is best effort and only
    /// shows what happens while someone watches. Their subscriptions live in memory grain storage too, on the silo that
    /// holds them; a cached stream message is dropped after seconds rather than Orleans' default half hour, since
    /// nobody rewinds a live view and a busy silo would otherwise keep half an hour of transitions in memory.
    /// </summary>
    private static void AddLiveStreams(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        silo.AddMemoryStreams(LiveStreams.ProviderName, streams => streams.ConfigureCacheEviction(options => options.Configure(o =>
        {
            o.DataMinTimeInCache = TimeSpan.FromSeconds(2);
            o.DataMaxAgeInCache = TimeSpan.FromSeconds(5);
        })));
    }

    private static T Bind<T>(IHostApplicationBuilder builder, string section)
        where T : class, new()
    {
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        return builder.Configuration.GetSection(section).Get<T>() ?? new T();
    }
}
