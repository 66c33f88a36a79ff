-- Reminders (Orleans.Reminders.AdoNet).
--
-- Each silo's reminder service reads the reminders whose grain hash falls in its share of the ring, hence the
-- index on (ServiceId, GrainHash). Hashes are unsigned in Orleans but bound as int, so the range queries compare
-- signed values: Orleans picks ReadRangeRows1Key when @BeginHash < @EndHash as signed ints, and
-- ReadRangeRows2Key, the range that wraps around, otherwise. Both exclude @BeginHash and include @EndHash.
--
-- Version is the etag: the upsert returns the row's new version and a delete must present the current one.
-- Orleans binds GrainId as varchar, hence the column type; the key fits SQL Server's 900-byte limit.
IF OBJECT_ID(N'OrleansReminder', N'U') IS NULL
BEGIN
    CREATE TABLE OrleansReminder
    (
        ServiceId    NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        GrainId      VARCHAR(300)  COLLATE Latin1_General_BIN2 NOT NULL,
        ReminderName NVARCHAR(150) COLLATE Latin1_General_BIN2 NOT NULL,
        GrainHash    INT           NOT NULL,
        StartTime    DATETIME2(3)  NOT NULL,
        -- Milliseconds. Orleans binds an int, or a bigint when the period exceeds int's range.
        Period       BIGINT        NOT NULL,
        Version      INT           NOT NULL,
        CONSTRAINT PK_OrleansReminder PRIMARY KEY (ServiceId, GrainId, ReminderName)
    );
    CREATE INDEX IX_OrleansReminder_ServiceId_GrainHash ON OrleansReminder (ServiceId, GrainHash);
END;

MERGE OrleansQuery WITH (HOLDLOCK) AS target
USING (VALUES
-- UPDLOCK and SERIALIZABLE hold the key (or the gap where it would go) until the insert, so two concurrent
-- first upserts of one reminder cannot both insert.
(N'UpsertReminderRowKey', N'
SET XACT_ABORT ON;
DECLARE @NewVersion INT;
BEGIN TRANSACTION;
UPDATE OrleansReminder WITH (UPDLOCK, SERIALIZABLE)
SET GrainHash = @GrainHash, StartTime = @StartTime, Period = @Period, @NewVersion = Version = Version + 1
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
IF @@ROWCOUNT = 0
BEGIN
    INSERT INTO OrleansReminder (ServiceId, GrainId, ReminderName, GrainHash, StartTime, Period, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0);
    SET @NewVersion = 0;
END;
COMMIT TRANSACTION;
SELECT @NewVersion AS Version;
'),

(N'ReadReminderRowsKey', N'
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),

(N'ReadReminderRowKey', N'
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),

(N'ReadRangeRows1Key', N'
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),

(N'ReadRangeRows2Key', N'
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),

(N'DeleteReminderRowKey', N'
DELETE FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
SELECT CAST(@@ROWCOUNT AS BIT);
'),

(N'DeleteReminderRowsKey', N'
DELETE FROM OrleansReminder WHERE ServiceId = @ServiceId;
')
) AS source (QueryKey, QueryText)
ON target.QueryKey = source.QueryKey
WHEN MATCHED THEN UPDATE SET QueryText = source.QueryText
WHEN NOT MATCHED THEN INSERT (QueryKey, QueryText) VALUES (source.QueryKey, source.QueryText);
