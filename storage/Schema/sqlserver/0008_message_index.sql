-- Finding a message's entries by its id (Waymark.Storage.CustomerLog, ICustomerLog.ReadMessageAsync).
--
-- Entries of kind 'message' record what became of a sent message, and carry the message id in name. Delivery
-- feedback (delivered, opened, clicked, ...) arrives with the message id alone, a hash that names no customer, so
-- routing it to its customer looks the id up across the workspace. The index is filtered, on message entries only:
-- events, the bulk of the log, do not pay for it. The optimizer matches a filtered index only to a query whose kind
-- is a literal, not a parameter, so the query names kind as 'message'.
--
-- With the clustered key it carries (customer_key, seq), an index row is at most 1,160 bytes, within the 1,700 SQL
-- Server allows a nonclustered index.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_waymark_customer_log_message' AND object_id = OBJECT_ID(N'waymark_customer_log'))
    CREATE INDEX IX_waymark_customer_log_message ON waymark_customer_log (workspace, name) WHERE kind = N'message';
