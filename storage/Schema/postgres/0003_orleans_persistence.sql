-- Grain state (Orleans.Persistence.AdoNet).
--
-- Orleans identifies a grain by hashes of its id and type, plus the id's two 64-bit halves (guid or integer
-- keys) and its string part; the strings settle hash collisions. A missing string part is stored as '', so
-- the primary key, which treats NULLs as distinct, still allows one row per grain.
--
-- Version is the etag. Writes, clears and deletes carry the version Orleans last saw in @GrainStateVersion
-- (NULL for a grain it believes has no row) and succeed only if it is still current. They return one row
-- whose NewGrainStateVersion is the new version, or NULL on a conflict, which Orleans raises as an
-- InconsistentStateException.
CREATE TABLE IF NOT EXISTS OrleansGrainState
(
    ServiceId              varchar(150) NOT NULL,
    GrainIdHash            integer      NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NOT NULL,
    PayloadBinary          bytea        NULL,
    Version                integer      NOT NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- A cleared grain keeps its row with a NULL payload, so its version survives.
('ReadFromStorageKey', $$
SELECT PayloadBinary, Version
FROM OrleansGrainState
WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '');
$$),

-- Only one branch can apply: with a version, the row must still have it; without one, the row must not exist
-- (a concurrent insert makes ON CONFLICT do nothing). The row lock makes a concurrent writer that saw the same
-- version re-check it after this one commits, and fail.
('WriteToStorageKey', $$
WITH updated AS (
    UPDATE OrleansGrainState
    SET PayloadBinary = @PayloadBinary, Version = Version + 1, ModifiedOn = now()
    WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version),
inserted AS (
    INSERT INTO OrleansGrainState
        (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, PayloadBinary, Version)
    SELECT @ServiceId, @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted) AS NewGrainStateVersion;
$$),

('ClearStorageKey', $$
WITH cleared AS (
    UPDATE OrleansGrainState
    SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
    WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version)
SELECT (SELECT Version FROM cleared) AS NewGrainStateVersion;
$$),

-- Used instead of ClearStorageKey when the storage is configured with DeleteStateOnClear. Orleans forgets the
-- etag afterwards, but still needs a value that differs from the old one to see success.
('DeleteStorageKey', $$
WITH deleted AS (
    DELETE FROM OrleansGrainState
    WHERE ServiceId = @ServiceId AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version)
SELECT (SELECT Version + 1 FROM deleted) AS NewGrainStateVersion;
$$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
