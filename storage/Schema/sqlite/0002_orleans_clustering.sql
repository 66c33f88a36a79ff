-- Cluster membership (Orleans.Clustering.AdoNet). Orleans names the cluster id DeploymentId.
--
-- Each cluster has one version row. Orleans reads it with the members and hands its number back as the etag of
-- every insert or update; the change succeeds only if the number is unchanged, and bumps it. "I am alive"
-- heartbeats and the removal of dead silos leave it alone.
--
-- Times are TEXT as Microsoft.Data.Sqlite writes DateTime ('yyyy-MM-dd HH:mm:ss.FFFFFFF', UTC), which sorts
-- and compares in time order.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersion
(
    DeploymentId TEXT    NOT NULL PRIMARY KEY,
    Version      INTEGER NOT NULL DEFAULT 0,
    ModifiedOn   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS OrleansMembership
(
    DeploymentId TEXT    NOT NULL REFERENCES OrleansMembershipVersion (DeploymentId),
    Address      TEXT    NOT NULL,
    Port         INTEGER NOT NULL,
    Generation   INTEGER NOT NULL,
    SiloName     TEXT    NOT NULL,
    HostName     TEXT    NOT NULL,
    Status       INTEGER NOT NULL,
    ProxyPort    INTEGER NOT NULL,
    SuspectTimes TEXT    NULL,
    StartTime    TEXT    NOT NULL,
    IAmAliveTime TEXT    NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- SQLite cannot change two tables in one statement, and a BEGIN inside a stored query would leave its
-- transaction open on a pooled connection if the query failed halfway. So the version bump rides on the
-- member change as a trigger: both commit or fail as one statement. Heartbeats set only IAmAliveTime and so
-- do not bump it.
CREATE TRIGGER IF NOT EXISTS OrleansMembership_BumpVersionOnInsert
AFTER INSERT ON OrleansMembership
BEGIN
    UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP
    WHERE DeploymentId = NEW.DeploymentId;
END;

CREATE TRIGGER IF NOT EXISTS OrleansMembership_BumpVersionOnUpdate
AFTER UPDATE OF Status, SuspectTimes ON OrleansMembership
BEGIN
    UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP
    WHERE DeploymentId = NEW.DeploymentId;
END;

-- Statements that report success end with SELECT changes(): the rows the previous statement changed
-- itself, not counting its trigger. The reads return the version row joined to the members (none when
-- StartTime is null), so Orleans gets the version even for an empty cluster.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
INSERT INTO OrleansMembershipVersion (DeploymentId) VALUES (@DeploymentId)
ON CONFLICT (DeploymentId) DO NOTHING;
SELECT changes();
'),

-- Inserts nothing unless the version row still has @Version; the trigger then bumps it.
('InsertMembershipKey', '
INSERT INTO OrleansMembership (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
FROM OrleansMembershipVersion
WHERE DeploymentId = @DeploymentId AND Version = @Version
ON CONFLICT DO NOTHING;
SELECT changes();
'),

('UpdateMembershipKey', '
UPDATE OrleansMembership SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND EXISTS (SELECT 1 FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId AND Version = @Version);
SELECT changes();
'),

('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembership SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),

('MembershipReadAllKey', '
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
'),

('MembershipReadRowKey', '
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
    AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
'),

-- Orleans passes @Status = 3 (Active); a silo without a gateway has ProxyPort 0.
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembership WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId;
'),

-- Required by Orleans but used only when the per-silo query below is missing: removes dead silos
-- (Status 6) that have not reported since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime;
'),

-- Orleans picks the dead silos itself and passes back the values it read; the row goes only if none of them
-- changed in between. A silo never suspected may hold NULL or an empty list, which Orleans reads alike.
('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6 AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND IFNULL(SuspectTimes, '''') = IFNULL(@SuspectTimes, '''');
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
