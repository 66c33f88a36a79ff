-- Cluster membership (Orleans.Clustering.AdoNet). Orleans names the cluster id DeploymentId.
--
-- Each cluster has one version row. Orleans reads it with the members and hands its number back as the etag of
-- every insert or update; the change succeeds only if the number is unchanged, and bumps it. "I am alive"
-- heartbeats and the removal of dead silos leave it alone.
--
-- Identifiers use a binary collation: they are case-sensitive in Orleans, and the database default usually is not.
-- Orleans binds Address as varchar and the rest as nvarchar, so the columns match to keep index seeks.
IF OBJECT_ID(N'OrleansMembershipVersion', N'U') IS NULL
    CREATE TABLE OrleansMembershipVersion
    (
        DeploymentId NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL CONSTRAINT PK_OrleansMembershipVersion PRIMARY KEY,
        Version      INT           NOT NULL CONSTRAINT DF_OrleansMembershipVersion_Version DEFAULT 0,
        ModifiedOn   DATETIME2(3)  NOT NULL CONSTRAINT DF_OrleansMembershipVersion_ModifiedOn DEFAULT SYSUTCDATETIME()
    );

IF OBJECT_ID(N'OrleansMembership', N'U') IS NULL
    CREATE TABLE OrleansMembership
    (
        DeploymentId NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL
            CONSTRAINT FK_OrleansMembership_OrleansMembershipVersion REFERENCES OrleansMembershipVersion (DeploymentId),
        Address      VARCHAR(45)   NOT NULL,
        Port         INT           NOT NULL,
        Generation   INT           NOT NULL,
        SiloName     NVARCHAR(150) NOT NULL,
        HostName     NVARCHAR(150) NOT NULL,
        Status       INT           NOT NULL,
        ProxyPort    INT           NOT NULL,
        SuspectTimes NVARCHAR(MAX) NULL,
        -- Orleans binds these as datetime (datetime2 only for the per-silo cleanup) and expects UTC back.
        StartTime    DATETIME2(3)  NOT NULL,
        IAmAliveTime DATETIME2(3)  NOT NULL,
        CONSTRAINT PK_OrleansMembership PRIMARY KEY (DeploymentId, Address, Port, Generation)
    );

-- Statements that report success return a single BIT. Changes to both tables run in a transaction that locks
-- the version row first, so concurrent changes of one cluster take turns and all but the first find the
-- version changed; XACT_ABORT rolls the transaction back on any error, including a client timeout.
-- The reads return the version row joined to the members (none when StartTime is null), so Orleans gets the
-- version even for an empty cluster. They hold the version row until the members are read, so no change can
-- land between the two and pair new members with an old version.
MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING (VALUES
(N'InsertMembershipVersionKey', N'
INSERT INTO OrleansMembershipVersion (DeploymentId)
SELECT @DeploymentId
WHERE NOT EXISTS (SELECT 1 FROM OrleansMembershipVersion WITH (UPDLOCK, HOLDLOCK) WHERE DeploymentId = @DeploymentId);
SELECT CAST(@@ROWCOUNT AS BIT);
'),

(N'InsertMembershipKey', N'
SET XACT_ABORT ON;
DECLARE @Inserted BIT = 0;
BEGIN TRANSACTION;
UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = SYSUTCDATETIME()
WHERE DeploymentId = @DeploymentId AND Version = @Version;
IF @@ROWCOUNT = 1 AND NOT EXISTS (
    SELECT 1 FROM OrleansMembership
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation)
BEGIN
    INSERT INTO OrleansMembership (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime);
    SET @Inserted = 1;
END;
IF @Inserted = 1 COMMIT TRANSACTION; ELSE ROLLBACK TRANSACTION;
SELECT @Inserted;
'),

(N'UpdateMembershipKey', N'
SET XACT_ABORT ON;
DECLARE @Updated BIT = 0;
BEGIN TRANSACTION;
UPDATE OrleansMembershipVersion SET Version = Version + 1, ModifiedOn = SYSUTCDATETIME()
WHERE DeploymentId = @DeploymentId AND Version = @Version;
IF @@ROWCOUNT = 1
BEGIN
    UPDATE OrleansMembership SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
    SET @Updated = @@ROWCOUNT;
END;
IF @Updated = 1 COMMIT TRANSACTION; ELSE ROLLBACK TRANSACTION;
SELECT @Updated;
'),

(N'UpdateIAmAlivetimeKey', N'
UPDATE OrleansMembership SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),

(N'MembershipReadAllKey', N'
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @TableVersion INT = (
    SELECT Version FROM OrleansMembershipVersion WITH (REPEATABLEREAD) WHERE DeploymentId = @DeploymentId);
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM (SELECT @TableVersion AS Version WHERE @TableVersion IS NOT NULL) AS v
LEFT JOIN OrleansMembership AS m ON m.DeploymentId = @DeploymentId;
COMMIT TRANSACTION;
'),

(N'MembershipReadRowKey', N'
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DECLARE @TableVersion INT = (
    SELECT Version FROM OrleansMembershipVersion WITH (REPEATABLEREAD) WHERE DeploymentId = @DeploymentId);
SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM (SELECT @TableVersion AS Version WHERE @TableVersion IS NOT NULL) AS v
LEFT JOIN OrleansMembership AS m ON m.DeploymentId = @DeploymentId
    AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation;
COMMIT TRANSACTION;
'),

-- Orleans passes @Status = 3 (Active); a silo without a gateway has ProxyPort 0.
(N'GatewaysQueryKey', N'
SELECT Address, ProxyPort, Generation
FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),

(N'DeleteMembershipTableEntriesKey', N'
SET XACT_ABORT ON;
BEGIN TRANSACTION;
DELETE FROM OrleansMembership WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersion WHERE DeploymentId = @DeploymentId;
COMMIT TRANSACTION;
'),

-- Required by Orleans but used only when the per-silo query below is missing: removes dead silos
-- (Status 6) that have not reported since @IAmAliveTime.
(N'CleanupDefunctSiloEntriesKey', N'
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime;
'),

-- Orleans picks the dead silos itself and passes back the values it read; the row goes only if none of them
-- changed in between. A silo never suspected may hold NULL or an empty list, which Orleans reads alike.
(N'CleanupDefunctSiloEntryKey', N'
DELETE FROM OrleansMembership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6 AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND ISNULL(SuspectTimes, N'''') = ISNULL(@SuspectTimes, N'''');
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED THEN UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED THEN INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
