-- Journey statistics: per-node counters of each journey version, by UTC hour (Waymark.Storage.Counts).
--
-- waymark_count_deltas holds changes not yet added to the totals. A customer's changes are inserted in the customer
-- log's transaction, beside the entries that caused them, so they commit with those entries or not at all; a flush
-- later adds a batch of them to waymark_counts and deletes them in one statement, so each is counted exactly once
-- whatever crashes. Several processes flush at once: each locks the rows it takes (FOR UPDATE SKIP LOCKED) and
-- passes over those another holds. Ids only name rows: concurrent appends commit in any order, so a smaller id may
-- become visible after a larger one, and no flush assumes otherwise.
--
-- Texts compare bytewise (COLLATE "C"), as in waymark_customer_log; buckets are hour starts as timestamptz.
CREATE TABLE IF NOT EXISTS waymark_count_deltas
(
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace  text COLLATE "C" NOT NULL,
    journey_id text COLLATE "C" NOT NULL,
    version    integer          NOT NULL,
    bucket     timestamptz      NOT NULL,
    counter    text COLLATE "C" NOT NULL,
    delta      bigint           NOT NULL
);

-- The totals, one row per counter of a journey version and hour; a journey's statistics are a range of the key.
CREATE TABLE IF NOT EXISTS waymark_counts
(
    workspace  text COLLATE "C" NOT NULL,
    journey_id text COLLATE "C" NOT NULL,
    version    integer          NOT NULL,
    counter    text COLLATE "C" NOT NULL,
    bucket     timestamptz      NOT NULL,
    value      bigint           NOT NULL,
    PRIMARY KEY (workspace, journey_id, version, counter, bucket)
);
