-- The customer log: everything that happens to a customer, append-only (Waymark.Storage.CustomerLog).
--
-- Seq numbers one customer's entries from 1; the customer's grain owns the numbering, and the primary key
-- refuses a number twice. A customer's profile is a projection of its log: on activation the grain reads the
-- entries after its snapshot's Seq through the primary key. The (workspace, customer_key, at, seq) index serves
-- the timeline (newest first, paged) and window reads; seq in it orders entries with equal times without a sort.
--
-- The keys compare bytewise (COLLATE "C"), like SQLite and SQL Server's binary collation: case-sensitive, the same
-- order everywhere, and cheaper to compare than a linguistic collation. Payload is JSON kept as text, exactly as
-- written; times are timestamptz, to the microsecond.
CREATE TABLE IF NOT EXISTS waymark_customer_log
(
    workspace    text COLLATE "C" NOT NULL,
    customer_key text COLLATE "C" NOT NULL,
    seq          bigint           NOT NULL,
    kind         text             NOT NULL,
    at           timestamptz      NOT NULL,
    recorded_at  timestamptz      NOT NULL,
    name         text             NULL,
    payload      text             NOT NULL,
    PRIMARY KEY (workspace, customer_key, seq)
);

CREATE INDEX IF NOT EXISTS ix_waymark_customer_log_at ON waymark_customer_log (workspace, customer_key, at, seq);
