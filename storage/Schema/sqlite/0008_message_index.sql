-- Finding a message's entries by its id (Waymark.Storage.CustomerLog, ICustomerLog.ReadMessageAsync).
--
-- Entries of kind 'message' record what became of a sent message, and carry the message id in name. Delivery
-- feedback (delivered, opened, clicked, ...) arrives with the message id alone, a hash that names no customer, so
-- routing it to its customer looks the id up across the workspace. The index is partial, on message entries only:
-- events, the bulk of the log, do not pay for it. SQLite uses a partial index only when the query's WHERE implies
-- the index's, so the query names kind as the literal 'message', not a parameter.
CREATE INDEX IF NOT EXISTS ix_waymark_customer_log_message ON waymark_customer_log (workspace, name) WHERE kind = 'message';
