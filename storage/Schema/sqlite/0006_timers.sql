-- The timer wheel: wake-ups due at a time, for a grain (Waymark.Storage.Timers, Waymark.Grains.Timers).
--
-- A fixed number of shard grains each poll their own rows in due order: the primary key (shard, due, target, tag)
-- makes that a range scan of the key, and makes scheduling the same wake-up twice a no-op, since inserts skip a key
-- that exists. Rows are written in the customer log's transaction, beside the entry that says why, and deleted
-- once their target has been woken. Target is the grain's id ("type/key"); tag says what the wake-up is for. A row
-- whose wake-up no longer matters is harmless: the target decides.
--
-- Times are INTEGER microseconds since 1970-01-01 UTC, as in waymark_customer_log. WITHOUT ROWID: the rows are
-- small and every read and delete goes through the key.
CREATE TABLE IF NOT EXISTS waymark_timers
(
    shard  INTEGER NOT NULL,
    due    INTEGER NOT NULL,
    target TEXT    NOT NULL,
    tag    TEXT    NOT NULL,
    PRIMARY KEY (shard, due, target, tag)
) WITHOUT ROWID;
