-- The customer log: everything that happens to a customer, append-only (Waymark.Storage.CustomerLog).
--
-- Seq numbers one customer's entries from 1; the customer's grain owns the numbering, and the primary key
-- refuses a number twice. A customer's profile is a projection of its log: on activation the grain reads the
-- entries after its snapshot's Seq through the primary key. The (workspace, customer_key, at, seq) index serves
-- the timeline (newest first, paged) and window reads; seq in it orders entries with equal times without a sort.
--
-- Times are INTEGER microseconds since 1970-01-01 UTC: exact, and they sort as numbers
-- (datetime(at / 1000000, 'unixepoch') shows one). Keys compare bytewise (SQLite's BINARY collation). The table
-- keeps its rowid, because WITHOUT ROWID suits small rows and a payload may be tens of kilobytes.
CREATE TABLE IF NOT EXISTS waymark_customer_log
(
    workspace    TEXT    NOT NULL,
    customer_key TEXT    NOT NULL,
    seq          INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    name         TEXT    NULL,
    payload      TEXT    NOT NULL,
    PRIMARY KEY (workspace, customer_key, seq)
);

CREATE INDEX IF NOT EXISTS ix_waymark_customer_log_at ON waymark_customer_log (workspace, customer_key, at, seq);
