namespace Waymark.Grains;

/// <summary>
/// The one grain storage provider. ADO.NET storage keys rows by grain id and state name, so every
/// persistent state names itself uniquely here.
/// </summary>
public static class GrainStorage
{
    public const string ProviderName = "waymark";

    public static class StateNames
    {
        public const string Workspace = "workspace";
        public const string AccessKey = "access-key";
        public const string Customer = "customer";
        public const string Identity = "identity";
        public const string Journey = "journey";
        public const string JourneyVersion = "journey-version";
        public const string JourneyCatalog = "journey-catalog";
        public const string JourneyLimit = "journey-limit";
        public const string SegmentLibrary = "segment-library";
        public const string SegmentBackfill = "segment-backfill";
        public const string JourneyBroadcast = "journey-broadcast";
        public const string TemplateLibrary = "template-library";
        public const string Inbox = "inbox";
        public const string Experiment = "experiment";
        public const string TrackingSecret = "tracking-secret";
    }
}
