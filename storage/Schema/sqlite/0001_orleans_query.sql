-- Orleans' ADO.NET providers read the SQL they run from this table when they start
-- (SELECT QueryKey, QueryText FROM OrleansQuery); each provider's script registers its statements here.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);
