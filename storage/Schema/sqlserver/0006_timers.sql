-- The timer wheel: wake-ups due at a time, for a grain (Waymark.Storage.Timers, Waymark.Grains.Timers).
--
-- A fixed number of shard grains each poll their own rows in due order: the clustered primary key
-- (shard, due, target, tag) makes that a range seek, and makes scheduling the same wake-up twice a no-op, since
-- inserts skip a key that exists. Rows are written in the customer log's transaction, beside the entry that says
-- why, and deleted once their target has been woken. Target is the grain's id ("type/key"); tag says what the
-- wake-up is for. A row whose wake-up no longer matters is harmless: the target decides.
--
-- Texts are case-sensitive (binary collation), so the key's order is the order the poll's cursor compares in. The
-- widths bound the key to 890 bytes, within SQL Server's 900; the storage checks them on every database. Times are
-- DATETIME2(6) in UTC, as in waymark_customer_log.
IF OBJECT_ID(N'waymark_timers', N'U') IS NULL
    CREATE TABLE waymark_timers
    (
        shard  SMALLINT      NOT NULL,
        due    DATETIME2(6)  NOT NULL,
        target NVARCHAR(340) COLLATE Latin1_General_BIN2 NOT NULL,
        tag    NVARCHAR(100) COLLATE Latin1_General_BIN2 NOT NULL,
        CONSTRAINT PK_waymark_timers PRIMARY KEY CLUSTERED (shard, due, target, tag)
    );

-- A batch of timers arrives as one table-valued parameter of this type, inserted or deleted by a single statement.
-- Its texts have the table's collation, so comparing the two needs no COLLATE clause.
IF TYPE_ID(N'waymark_timer_entries') IS NULL
    CREATE TYPE waymark_timer_entries AS TABLE
    (
        shard  SMALLINT      NOT NULL,
        due    DATETIME2(6)  NOT NULL,
        target NVARCHAR(340) COLLATE Latin1_General_BIN2 NOT NULL,
        tag    NVARCHAR(100) COLLATE Latin1_General_BIN2 NOT NULL
    );
