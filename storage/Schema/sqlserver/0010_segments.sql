-- The customer registry and segment membership (Waymark.Storage.CustomerLog, ICustomerLog.ListCustomersAsync;
-- Waymark.Storage.Segments).
--
-- The registry enumerates a workspace's customers without writing anything more: every customer key's first log
-- entry has seq 1, so an index on (workspace, customer_key) filtered to the entries with seq 1 has exactly one row
-- per key ever written, merged-away keys included; an erased key's row goes with its log. Paging through it is a range
-- of the index in key order, and counting it reads the index alone. The optimizer matches a filtered index only to a
-- query whose seq is a literal, not a parameter, so the query names seq as 1. A job that prunes old entries must keep
-- each key's seq 1, or the key leaves the registry. An index row carries the clustered key, seq included, so the
-- index covers the query; it is at most 648 bytes.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_waymark_customer_log_customers' AND object_id = OBJECT_ID(N'waymark_customer_log'))
    CREATE INDEX IX_waymark_customer_log_customers ON waymark_customer_log (workspace, customer_key) WHERE seq = 1;

-- Who is in a segment: one row per (workspace, segment, customer key) in it. A customer's membership changes are
-- written by the customer log's append, in the transaction of the entries that record them, so they commit with
-- those entries or not at all; putting a key in twice or taking out one that is not there changes nothing. When the
-- customer joined is in that entry, so the row is the key alone. The (workspace, customer_key) index finds a
-- customer's rows when it is erased.
--
-- Texts are case-sensitive (binary collation), as in waymark_customer_log. A segment id is at most 64 characters
-- (Waymark.Definitions.DefinitionIds), so the key is at most 768 bytes, within SQL Server's 900; the storage checks
-- the widths on every database.
IF OBJECT_ID(N'waymark_segment_members', N'U') IS NULL
BEGIN
    CREATE TABLE waymark_segment_members
    (
        workspace    NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        segment      NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        customer_key NVARCHAR(256) COLLATE Latin1_General_BIN2 NOT NULL,
        CONSTRAINT PK_waymark_segment_members PRIMARY KEY CLUSTERED (workspace, segment, customer_key)
    );
    CREATE INDEX IX_waymark_segment_members_customer ON waymark_segment_members (workspace, customer_key);
END;

-- A batch's changes arrive as one table-valued parameter of this type, one for the keys put in and one for those
-- taken out, each inserted or deleted by a single statement. Its texts have the table's collation, so comparing the
-- two needs no COLLATE clause.
IF TYPE_ID(N'waymark_segment_member_keys') IS NULL
    CREATE TYPE waymark_segment_member_keys AS TABLE
    (
        workspace    NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        segment      NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        customer_key NVARCHAR(256) COLLATE Latin1_General_BIN2 NOT NULL
    );
