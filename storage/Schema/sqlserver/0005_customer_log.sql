-- The customer log: everything that happens to a customer, append-only (Waymark.Storage.CustomerLog).
--
-- Seq numbers one customer's entries from 1; the customer's grain owns the numbering, and the primary key
-- refuses a number twice. A customer's profile is a projection of its log: on activation the grain reads the
-- entries after its snapshot's Seq through the clustered primary key. The (workspace, customer_key, at, seq)
-- index serves the timeline (newest first, paged) and window reads; seq in it orders entries with equal times
-- without a sort.
--
-- Keys are case-sensitive (binary collation, as Orleans' tables here). The widths bound the primary key to
-- 648 bytes, within SQL Server's 900; the log checks them on every database. Times are DATETIME2(6) in UTC.
IF OBJECT_ID(N'waymark_customer_log', N'U') IS NULL
BEGIN
    CREATE TABLE waymark_customer_log
    (
        workspace    NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        customer_key NVARCHAR(256) COLLATE Latin1_General_BIN2 NOT NULL,
        seq          BIGINT        NOT NULL,
        kind         NVARCHAR(32)  COLLATE Latin1_General_BIN2 NOT NULL,
        at           DATETIME2(6)  NOT NULL,
        recorded_at  DATETIME2(6)  NOT NULL,
        name         NVARCHAR(256) COLLATE Latin1_General_BIN2 NULL,
        payload      NVARCHAR(MAX) NOT NULL,
        CONSTRAINT PK_waymark_customer_log PRIMARY KEY CLUSTERED (workspace, customer_key, seq)
    );
    CREATE INDEX IX_waymark_customer_log_at ON waymark_customer_log (workspace, customer_key, at, seq);
END;

-- A batch of appends arrives as one table-valued parameter of this type, inserted by a single statement.
IF TYPE_ID(N'waymark_customer_log_entries') IS NULL
    CREATE TYPE waymark_customer_log_entries AS TABLE
    (
        workspace    NVARCHAR(64)  NOT NULL,
        customer_key NVARCHAR(256) NOT NULL,
        seq          BIGINT        NOT NULL,
        kind         NVARCHAR(32)  NOT NULL,
        at           DATETIME2(6)  NOT NULL,
        recorded_at  DATETIME2(6)  NOT NULL,
        name         NVARCHAR(256) NULL,
        payload      NVARCHAR(MAX) NOT NULL
    );
