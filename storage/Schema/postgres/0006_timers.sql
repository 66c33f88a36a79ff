-- The timer wheel: wake-ups due at a time, for a grain (Waymark.Storage.Timers, Waymark.Grains.Timers).
--
-- A fixed number of shard grains each poll their own rows in due order: the primary key (shard, due, target, tag)
-- makes that a range scan of the key, and makes scheduling the same wake-up twice a no-op, since inserts skip a key
-- that exists (ON CONFLICT DO NOTHING). Rows are written in the customer log's transaction, beside the entry that
-- says why, and deleted once their target has been woken. Target is the grain's id ("type/key"); tag says what the
-- wake-up is for. A row whose wake-up no longer matters is harmless: the target decides.
--
-- Texts compare bytewise (COLLATE "C"), so the key's order is the order the poll's cursor compares in; times are
-- timestamptz, to the microsecond, as in waymark_customer_log.
CREATE TABLE IF NOT EXISTS waymark_timers
(
    shard  smallint         NOT NULL,
    due    timestamptz      NOT NULL,
    target text COLLATE "C" NOT NULL,
    tag    text COLLATE "C" NOT NULL,
    PRIMARY KEY (shard, due, target, tag)
);
