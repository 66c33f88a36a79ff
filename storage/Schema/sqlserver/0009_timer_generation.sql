-- The timer wheel's rows get a stamp, so that a wake-up scheduled again while its shard is waking it is not lost
-- (Waymark.Storage.Timers, Waymark.Grains.Timers).
--
-- A shard reads its due rows, wakes their targets, and then deletes the rows it woke. Until now scheduling a key
-- (shard, due, target, tag) that was still there did nothing, so a wake-up scheduled again between the read and the
-- delete (a customer deciding another send for the same instant, a wake-up re-armed at the time it fired) was
-- deleted with the one already delivered and never fired. Now scheduling a key that exists adds one to its
-- generation (a MERGE under HOLDLOCK), the shard reads the generation with the row, and deletes a row only while its
-- generation is still the one it read: a row scheduled again stays, and the next poll wakes its target once more.
-- Due stays part of the key, so scheduling again never moves a wake-up. Rows already there start at 0.
--
-- BIGINT: a row would have to be scheduled again 2^63 times before it overflowed.
IF COL_LENGTH(N'waymark_timers', N'generation') IS NULL
    ALTER TABLE waymark_timers ADD generation BIGINT NOT NULL CONSTRAINT DF_waymark_timers_generation DEFAULT 0;

-- The rows a shard deletes arrive as one table-valued parameter of this type: the key and the generation read.
-- waymark_timer_entries, the key alone, still brings the rows to schedule. Its texts have the table's collation, so
-- comparing the two needs no COLLATE clause.
IF TYPE_ID(N'waymark_timer_stamps') IS NULL
    CREATE TYPE waymark_timer_stamps AS TABLE
    (
        shard      SMALLINT      NOT NULL,
        due        DATETIME2(6)  NOT NULL,
        target     NVARCHAR(340) COLLATE Latin1_General_BIN2 NOT NULL,
        tag        NVARCHAR(100) COLLATE Latin1_General_BIN2 NOT NULL,
        generation BIGINT        NOT NULL
    );
