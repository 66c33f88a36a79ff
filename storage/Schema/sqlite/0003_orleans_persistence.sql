-- Grain state (Orleans.Persistence.AdoNet).
--
-- Orleans identifies a grain by hashes of its id and type, plus the id's two 64-bit halves (guid or integer
-- keys) and its string part; the strings settle hash collisions. A missing string part is stored as '', so
-- the primary key, which treats NULLs as distinct, still allows one row per grain.
--
-- Version is the etag. Writes, clears and deletes carry the version Orleans last saw in @GrainStateVersion
-- (NULL for a grain it believes has no row) and succeed only if it is still current. They return one row
-- whose NewGrainStateVersion is the new version, or NULL on a conflict, which Orleans raises as an
-- InconsistentStateException. Each change is one statement, and the SELECT after it reads changes() of that
-- statement on the same connection, so no other writer can slip in between.
CREATE TABLE IF NOT EXISTS OrleansGrainState
(
    ServiceId              TEXT    NOT NULL,
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    Version                INTEGER NOT NULL,
    ModifiedOn             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- A cleared grain keeps its row with a NULL payload, so its version survives.
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansGrainState
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''');
'),

-- One upsert covers both cases. Without a version it inserts, and an existing row is a conflict (the update
-- below requires Version = NULL, which never holds). With a version it may only update: the SELECT yields no
-- row to insert when the grain has none.
('WriteToStorageKey', '
INSERT INTO OrleansGrainState
    (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, PayloadBinary, Version)
SELECT @ServiceId, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, IFNULL(@GrainIdExtensionString, ''''), @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (
       SELECT 1 FROM OrleansGrainState
       WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
         AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
         AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, ''''))
ON CONFLICT (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString) DO UPDATE
SET PayloadBinary = excluded.PayloadBinary, Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP
WHERE Version = @GrainStateVersion;
SELECT CASE changes() WHEN 1 THEN IFNULL(@GrainStateVersion + 1, 1) END AS NewGrainStateVersion;
'),

('ClearStorageKey', '
UPDATE OrleansGrainState
SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = CURRENT_TIMESTAMP
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion;
SELECT CASE changes() WHEN 1 THEN @GrainStateVersion + 1 END AS NewGrainStateVersion;
'),

-- Used instead of ClearStorageKey when the storage is configured with DeleteStateOnClear. Orleans forgets the
-- etag afterwards, but still needs a value that differs from the old one to see success.
('DeleteStorageKey', '
DELETE FROM OrleansGrainState
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND Version = @GrainStateVersion;
SELECT CASE changes() WHEN 1 THEN @GrainStateVersion + 1 END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
