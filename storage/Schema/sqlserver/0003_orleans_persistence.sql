-- Grain state (Orleans.Persistence.AdoNet).
--
-- Orleans identifies a grain by hashes of its id and type, plus the id's two 64-bit halves (guid or integer
-- keys) and its string part; the strings settle hash collisions. A missing string part is stored as N''.
-- The full key is too wide for a SQL Server index key, so rows are clustered by the hashes and inserts are
-- serialized with key-range locks on them instead of a unique constraint.
--
-- Version is the etag. Writes, clears and deletes carry the version Orleans last saw in @GrainStateVersion
-- (NULL for a grain it believes has no row) and succeed only if it is still current. They return one row
-- whose NewGrainStateVersion is the new version, or NULL on a conflict, which Orleans raises as an
-- InconsistentStateException.
IF OBJECT_ID(N'OrleansGrainState', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansGrainState
    (
        ServiceId              NVARCHAR(150)  COLLATE Latin1_General_BIN2 NOT NULL,
        GrainIdHash            INT            NOT NULL,
        GrainTypeHash          INT            NOT NULL,
        GrainIdN0              BIGINT         NOT NULL,
        GrainIdN1              BIGINT         NOT NULL,
        GrainTypeString        NVARCHAR(512)  COLLATE Latin1_General_BIN2 NOT NULL,
        GrainIdExtensionString NVARCHAR(512)  COLLATE Latin1_General_BIN2 NOT NULL,
        PayloadBinary          VARBINARY(MAX) NULL,
        Version                INT            NOT NULL,
        ModifiedOn             DATETIME2(3)   NOT NULL CONSTRAINT DF_OrleansGrainState_ModifiedOn DEFAULT SYSUTCDATETIME()
    );
    CREATE CLUSTERED INDEX IX_OrleansGrainState_Hashes ON OrleansGrainState (ServiceId, GrainIdHash, GrainTypeHash);
END;

MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING (VALUES
-- A cleared grain keeps its row with a NULL payload, so its version survives.
(N'ReadFromStorageKey', N'
SELECT PayloadBinary, Version
FROM OrleansGrainState
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = ISNULL(@GrainIdExtensionString, N'''');
'),

-- Without a version the row must not exist: UPDLOCK and HOLDLOCK keep the key range locked from the check to
-- the insert, so of two concurrent first writes one inserts and the other finds the row. With a version the
-- row must still have it; the UPDATE's own update lock makes a concurrent writer re-check it after this one commits.
(N'WriteToStorageKey', N'
DECLARE @NewGrainStateVersion INT;
IF @GrainStateVersion IS NULL
BEGIN
    INSERT INTO OrleansGrainState
        (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, PayloadBinary, Version)
    SELECT @ServiceId, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, ISNULL(@GrainIdExtensionString, N''''), @PayloadBinary, 1
    WHERE NOT EXISTS (
        SELECT 1 FROM OrleansGrainState WITH (UPDLOCK, HOLDLOCK)
        WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
          AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
          AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = ISNULL(@GrainIdExtensionString, N''''));
    IF @@ROWCOUNT = 1 SET @NewGrainStateVersion = 1;
END
ELSE
    UPDATE OrleansGrainState
    SET PayloadBinary = @PayloadBinary, ModifiedOn = SYSUTCDATETIME(), @NewGrainStateVersion = Version = Version + 1
    WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = ISNULL(@GrainIdExtensionString, N'''')
      AND Version = @GrainStateVersion;
SELECT @NewGrainStateVersion AS NewGrainStateVersion;
'),

(N'ClearStorageKey', N'
DECLARE @NewGrainStateVersion INT;
UPDATE OrleansGrainState
SET PayloadBinary = NULL, ModifiedOn = SYSUTCDATETIME(), @NewGrainStateVersion = Version = Version + 1
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = ISNULL(@GrainIdExtensionString, N'''')
  AND Version = @GrainStateVersion;
SELECT @NewGrainStateVersion AS NewGrainStateVersion;
'),

-- Used instead of ClearStorageKey when the storage is configured with DeleteStateOnClear. Orleans forgets the
-- etag afterwards, but still needs a value that differs from the old one to see success.
(N'DeleteStorageKey', N'
DELETE FROM OrleansGrainState
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = ISNULL(@GrainIdExtensionString, N'''')
  AND Version = @GrainStateVersion;
SELECT CASE @@ROWCOUNT WHEN 1 THEN @GrainStateVersion + 1 END AS NewGrainStateVersion;
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED THEN UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED THEN INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
