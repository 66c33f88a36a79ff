-- The customer registry and segment membership (Waymark.Storage.CustomerLog, ICustomerLog.ListCustomersAsync;
-- Waymark.Storage.Segments).
--
-- The registry enumerates a workspace's customers without writing anything more: every customer key's first log
-- entry has seq 1, so a partial index on (workspace, customer_key) over the entries with seq 1 has exactly one row
-- per key ever written, merged-away keys included; an erased key's row goes with its log. Paging through it is a range
-- of the index in key order, and counting it reads the index alone. The query names seq as the literal 1, not a
-- parameter, so the planner can prove it matches the index's predicate. A job that prunes old entries must keep each
-- key's seq 1, or the key leaves the registry.
CREATE INDEX IF NOT EXISTS ix_waymark_customer_log_customers ON waymark_customer_log (workspace, customer_key) WHERE seq = 1;

-- Who is in a segment: one row per (workspace, segment, customer key) in it. A customer's membership changes are
-- written by the customer log's append, in the transaction of the entries that record them, so they commit with
-- those entries or not at all; putting a key in twice or taking out one that is not there changes nothing. When the
-- customer joined is in that entry, so the row is the key alone. The (workspace, customer_key) index finds a
-- customer's rows when it is erased.
--
-- Texts compare bytewise (COLLATE "C"), as in waymark_customer_log, so a segment's members page in the registry's order.
CREATE TABLE IF NOT EXISTS waymark_segment_members
(
    workspace    text COLLATE "C" NOT NULL,
    segment      text COLLATE "C" NOT NULL,
    customer_key text COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace, segment, customer_key)
);

CREATE INDEX IF NOT EXISTS ix_waymark_segment_members_customer ON waymark_segment_members (workspace, customer_key);
