-- Orleans' ADO.NET providers read the SQL they run from this table when they start
-- (SELECT QueryKey, QueryText FROM OrleansQuery); each provider's script registers its statements here.
-- Identifiers are unquoted, so they fold to lower case and match Orleans' unquoted query.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
