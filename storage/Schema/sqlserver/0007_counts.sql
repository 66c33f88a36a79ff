-- Journey statistics: per-node counters of each journey version, by UTC hour (Waymark.Storage.Counts).
--
-- waymark_count_deltas holds changes not yet added to the totals. A customer's changes are inserted in the customer
-- log's transaction, beside the entries that caused them, so they commit with those entries or not at all; a flush
-- later adds a batch of them to waymark_counts and deletes them in one transaction, so each is counted exactly once
-- whatever crashes. Several processes flush at once: each deletes rows under ROWLOCK and READPAST, passing over
-- those another holds.
--
-- Texts are case-sensitive (binary collation), as in waymark_customer_log. The widths bound the totals' key to
-- 668 bytes (2 × (64 + 64 + 200) + 4 + 8), within SQL Server's 900; the storage checks them on every database.
-- Buckets are hour starts as DATETIME2(6) in UTC, as the log stores times.
IF OBJECT_ID(N'waymark_count_deltas', N'U') IS NULL
    CREATE TABLE waymark_count_deltas
    (
        id         BIGINT        IDENTITY(1, 1) NOT NULL,
        workspace  NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        journey_id NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        version    INT           NOT NULL,
        bucket     DATETIME2(6)  NOT NULL,
        counter    NVARCHAR(200) COLLATE Latin1_General_BIN2 NOT NULL,
        delta      BIGINT        NOT NULL,
        CONSTRAINT PK_waymark_count_deltas PRIMARY KEY CLUSTERED (id)
    );

-- The totals, one row per counter of a journey version and hour; a journey's statistics are a range of the key.
IF OBJECT_ID(N'waymark_counts', N'U') IS NULL
    CREATE TABLE waymark_counts
    (
        workspace  NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        journey_id NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        version    INT           NOT NULL,
        counter    NVARCHAR(200) COLLATE Latin1_General_BIN2 NOT NULL,
        bucket     DATETIME2(6)  NOT NULL,
        value      BIGINT        NOT NULL,
        CONSTRAINT PK_waymark_counts PRIMARY KEY CLUSTERED (workspace, journey_id, version, counter, bucket)
    );

-- The changes of a batch of appends arrive as one table-valued parameter of this type, inserted by one statement.
IF TYPE_ID(N'waymark_count_delta_rows') IS NULL
    CREATE TYPE waymark_count_delta_rows AS TABLE
    (
        workspace  NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        journey_id NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
        version    INT           NOT NULL,
        bucket     DATETIME2(6)  NOT NULL,
        counter    NVARCHAR(200) COLLATE Latin1_General_BIN2 NOT NULL,
        delta      BIGINT        NOT NULL
    );
