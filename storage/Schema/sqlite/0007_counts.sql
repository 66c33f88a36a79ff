-- Journey statistics: per-node counters of each journey version, by UTC hour (Waymark.Storage.Counts).
--
-- waymark_count_deltas holds changes not yet added to the totals. A customer's changes are inserted in the customer
-- log's transaction, beside the entries that caused them, so they commit with those entries or not at all; a flush
-- later adds a batch of them to waymark_counts and deletes them in one transaction, so each is counted exactly once
-- whatever crashes. Rows are only ever inserted and then deleted by a flush, in id order.
--
-- id is the rowid: a flush takes the write lock, which SQLite has one of, before it reads, so the ids it takes
-- are the first n committed and no insert runs meanwhile. Without AUTOINCREMENT an id may be used again after the
-- table empties, which is harmless for the same reason. Buckets are hour starts in INTEGER microseconds since
-- 1970-01-01 UTC, as the customer log stores times.
CREATE TABLE IF NOT EXISTS waymark_count_deltas
(
    id         INTEGER NOT NULL PRIMARY KEY,
    workspace  TEXT    NOT NULL,
    journey_id TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    bucket     INTEGER NOT NULL,
    counter    TEXT    NOT NULL,
    delta      INTEGER NOT NULL
);

-- The totals, one row per counter of a journey version and hour; a journey's statistics are a range of the key.
-- WITHOUT ROWID: the rows are small and every read and upsert goes through the key.
CREATE TABLE IF NOT EXISTS waymark_counts
(
    workspace  TEXT    NOT NULL,
    journey_id TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    counter    TEXT    NOT NULL,
    bucket     INTEGER NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (workspace, journey_id, version, counter, bucket)
) WITHOUT ROWID;
