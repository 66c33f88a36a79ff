-- Cluster membership (Orleans.Clustering.AdoNet). Orleans names the cluster id DeploymentId.
--
-- Each cluster has one version row. Orleans reads it with the members and hands its number back as the etag of
-- every insert or update; the change succeeds only if the number is unchanged, and bumps it. "I am alive"
-- heartbeats and the removal of dead silos leave it alone.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersion
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Version      integer      NOT NULL DEFAULT 0,
    ModifiedOn   timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS OrleansMembership
(
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersion (DeploymentId),
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL,
    SuspectTimes text         NULL,
    -- Orleans binds times as DbType.DateTime, which Npgsql sends as timestamptz, and expects UTC back.
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Statements that report success return a single boolean column. The reads return the version row joined to
-- the members (none when StartTime is null), so Orleans gets the version even for an empty cluster.
-- The multi-table changes are single statements, so they commit or fail as a whole.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $$
WITH inserted AS (
    INSERT INTO OrleansMembershipVersion (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted);
$$),

-- The version row is locked by the UPDATE, so concurrent inserts and updates of one cluster take turns
-- and all but the first find the version changed.
('InsertMembershipKey', $$
WITH bumped AS (
    UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = now()
    WHERE DeploymentId = @DeploymentId AND Version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM OrleansMembership
          WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
    RETURNING DeploymentId),
inserted AS (
    INSERT INTO OrleansMembership (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted);
$$),

('UpdateMembershipKey', $$
WITH bumped AS (
    UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = now()
    WHERE DeploymentId = @DeploymentId AND Version = @Version
      AND EXISTS (
          SELECT 1 FROM OrleansMembership
          WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
    RETURNING DeploymentId),
updated AS (
    UPDATE OrleansMembership SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId IN (SELECT DeploymentId FROM bumped)
      AND Address = @Address AND Port = @Port AND Generation = @Generation
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM updated);
$$),

('UpdateIAmAlivetimeKey', $$
UPDATE OrleansMembership SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
$$),

('MembershipReadAllKey', $$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$$),

('MembershipReadRowKey', $$
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM OrleansMembershipVersion v
LEFT JOIN OrleansMembership m ON m.DeploymentId = v.DeploymentId
    AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$$),

-- Orleans passes @Status = 3 (Active); a silo without a gateway has ProxyPort 0.
('GatewaysQueryKey', $$
SELECT Address, ProxyPort, Generation
FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$$),

('DeleteMembershipTableEntriesKey', $$
WITH members AS (DELETE FROM OrleansMembership WHERE DeploymentId = @DeploymentId)
DELETE FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId;
$$),

-- Required by Orleans but used only when the per-silo query below is missing: removes dead silos
-- (Status 6) that have not reported since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $$
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime;
$$),

-- Orleans picks the dead silos itself and passes back the values it read; the row goes only if none of them
-- changed in between. A silo never suspected may hold NULL or an empty list, which Orleans reads alike.
('CleanupDefunctSiloEntryKey', $$
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6 AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
