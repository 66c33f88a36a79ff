using System.ComponentModel.DataAnnotations;

namespace Waymark.Hosting;

/// <summary>Section <c>Waymark:Hosting</c>: whether a process hosts a silo itself or joins a cluster as a client.</summary>
public sealed class HostingOptions
{
    public const string Section = "Waymark:Hosting";

    public HostingMode Mode { get; set; } = HostingMode.Embedded;
}

public enum HostingMode
{
    /// <summary>The process runs a silo in-process (single node, or one more silo of a cluster).</summary>
    Embedded,

    /// <summary>The process is an Orleans client of a cluster of silo processes.</summary>
    Client,
}

/// <summary>Section <c>Waymark:Cluster</c>: which Orleans cluster and service this process belongs to.</summary>
public sealed class WaymarkClusterOptions
{
    public const string Section = "Waymark:Cluster";

    [Required]
    public string ClusterId { get; set; } = "waymark";

    /// <summary>Keys grain state and reminders in storage: keep it stable across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "waymark";

    /// <summary>
    /// The initial timeout of a silo's liveness probe of another silo (Orleans' <c>ClusterMembershipOptions.ProbeTimeout</c>,
    /// 5 s by default there). Orleans adapts the timeout and the probe period between half and four times this value, so
    /// a dead silo is declared dead at most <see cref="MissedProbesLimit"/> × 4 × this after it died: 24 s with Waymark's
    /// 2 s, instead of 60 s with Orleans' 5 s, which alone would use up the 60 s in which a dead silo's waits must fire.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Probes in a row a silo must miss before another silo votes it dead (Orleans' <c>NumMissedProbesLimit</c>).</summary>
    [Range(1, 10)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// Votes that declare a silo dead (Orleans' <c>NumVotesForDeathDeclaration</c>). Orleans needs no more than half the
    /// active silos, rounded up, so in a two-silo cluster the survivor's vote alone is enough.
    /// </summary>
    [Range(1, 10)]
    public int VotesForDeathDeclaration { get; set; } = 2;
}

/// <summary>Section <c>Waymark:Silo</c>: the ports a silo listens on.</summary>
public sealed class SiloEndpointOptions
{
    public const string Section = "Waymark:Silo";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients connect to; 0 for a single node that serves no external clients.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this silo at; by default the host's first non-loopback
    /// address. Set it where that guess is wrong (several interfaces, NAT, or all processes on one machine).
    /// </summary>
    public string? AdvertisedAddress { get; set; }
}
