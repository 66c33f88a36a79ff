-- Orleans' ADO.NET providers read the SQL they run from this table when they start
-- (SELECT QueryKey, QueryText FROM OrleansQuery); each provider's script registers its statements here.
-- Objects are created in the connecting user's default schema, which is where Orleans' unqualified query looks.
IF OBJECT_ID(N'OrleansQuery', N'U') IS NULL
    CREATE TABLE OrleansQuery
    (
        QueryKey  VARCHAR(64)   NOT NULL CONSTRAINT PK_OrleansQuery PRIMARY KEY,
        QueryText NVARCHAR(MAX) NOT NULL
    );
