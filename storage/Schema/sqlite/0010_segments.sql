-- The customer registry and segment membership (Waymark.Storage.CustomerLog, ICustomerLog.ListCustomersAsync;
-- Waymark.Storage.Segments).
--
-- The registry enumerates a workspace's customers without writing anything more: every customer key's first log
-- entry has seq 1, so a partial index on (workspace, customer_key) over the entries with seq 1 has exactly one row
-- per key ever written, merged-away keys included; an erased key's row goes with its log. Paging through it is a range
-- of the index in key order, and counting it reads the index alone. SQLite uses a partial index only when the query's
-- WHERE implies the index's, so the query names seq as the literal 1, not a parameter. A job that prunes old entries
-- must keep each key's seq 1, or the key leaves the registry.
--
-- Unlike the other databases' indexes, this one carries seq: the table has a rowid, so an index holds only its own
-- columns and the rowid, and SQLite reads the table row for a column the query names that the index lacks, even one
-- the index's WHERE fixes. With seq the index covers the query (its value 1 takes no space in a record). The query
-- names the index (INDEXED BY), since without statistics SQLite may prefer the (workspace, customer_key, at, seq) one.
CREATE INDEX IF NOT EXISTS ix_waymark_customer_log_customers ON waymark_customer_log (workspace, customer_key, seq) WHERE seq = 1;

-- Who is in a segment: one row per (workspace, segment, customer key) in it. A customer's membership changes are
-- written by the customer log's append, in the transaction of the entries that record them, so they commit with
-- those entries or not at all; putting a key in twice or taking out one that is not there changes nothing. When the
-- customer joined is in that entry, so the row is the key alone. The (workspace, customer_key) index finds a
-- customer's rows when it is erased.
--
-- Keys compare bytewise (SQLite's BINARY collation). WITHOUT ROWID: the rows are small and every read and write goes
-- through the key.
CREATE TABLE IF NOT EXISTS waymark_segment_members
(
    workspace    TEXT NOT NULL,
    segment      TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    PRIMARY KEY (workspace, segment, customer_key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_waymark_segment_members_customer ON waymark_segment_members (workspace, customer_key);
