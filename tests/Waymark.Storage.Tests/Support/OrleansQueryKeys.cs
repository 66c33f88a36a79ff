namespace Waymark.Storage.Tests.Support;

/// <summary>The OrleansQuery rows Orleans 10.4's ADO.NET providers read. Each provider fails to start if a
/// required key is missing; the optional ones change behaviour when present.</summary>
public static class OrleansQueryKeys
{
    public static readonly IReadOnlyList<string> Clustering =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        // Optional: without it Orleans removes dead silos in bulk, without checking their rows are unchanged.
        "CleanupDefunctSiloEntryKey",
    ];

    public static readonly IReadOnlyList<string> Persistence =
    [
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
        // Optional: needed only by storages configured with DeleteStateOnClear.
        "DeleteStorageKey",
    ];

    public static readonly IReadOnlyList<string> Reminders =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    public static IEnumerable<string> All => [.. Clustering, .. Persistence, .. Reminders];
}
