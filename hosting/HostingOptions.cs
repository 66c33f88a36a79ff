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
