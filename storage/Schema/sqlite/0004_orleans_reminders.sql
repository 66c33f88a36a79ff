-- Reminders (Orleans.Reminders.AdoNet).
--
-- Each silo's reminder service reads the reminders whose grain hash falls in its share of the ring, hence the
-- index on (ServiceId, GrainHash). Hashes are unsigned in Orleans but bound as int, so the range queries compare
-- signed values: Orleans picks ReadRangeRows1Key when @BeginHash < @EndHash as signed ints, and
-- ReadRangeRows2Key, the range that wraps around, otherwise. Both exclude @BeginHash and include @EndHash.
--
-- Version is the etag: the upsert returns the row's new version and a delete must present the current one.
CREATE TABLE IF NOT EXISTS OrleansReminder
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    GrainHash    INTEGER NOT NULL,
    StartTime    TEXT    NOT NULL,
    -- Milliseconds.
    Period       INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS OrleansReminder_ServiceId_GrainHash ON OrleansReminder (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
INSERT INTO OrleansReminder (ServiceId, GrainId, ReminderName, GrainHash, StartTime, Period, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET GrainHash = excluded.GrainHash, StartTime = excluded.StartTime, Period = excluded.Period, Version = Version + 1
RETURNING Version;
'),

('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),

('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),

('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),

('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansReminder
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),

('DeleteReminderRowKey', '
DELETE FROM OrleansReminder
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
SELECT changes();
'),

('DeleteReminderRowsKey', '
DELETE FROM OrleansReminder WHERE ServiceId = @ServiceId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
