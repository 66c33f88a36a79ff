using Microsoft.SqlServer.TransactSql.ScriptDom;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

/// <summary>No SQL Server runs here, so its scripts, and the queries they store for Orleans, are checked by
/// SQL Server 2022's own parser.</summary>
public sealed class SqlServerScriptTests
{
    public static TheoryData<string> ScriptNames => [.. SchemaScripts.For(StorageProvider.SqlServer).Select(s => s.Name)];

    public static TheoryData<string> QueryKeys => [.. StoredQueries().Keys];

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void Script_parses_as_SQL_Server_2022_TSql(string scriptName)
    {
        var script = SchemaScripts.For(StorageProvider.SqlServer).Single(s => s.Name == scriptName);

        Assert.Empty(ParseErrors(script.Contents));
    }

    [Theory]
    [MemberData(nameof(QueryKeys))]
    public void Stored_query_parses_as_SQL_Server_2022_TSql(string queryKey)
    {
        Assert.Empty(ParseErrors(StoredQueries()[queryKey]));
    }

    [Fact]
    public void Scripts_store_every_query_orleans_reads()
    {
        Assert.Equal(OrleansQueryKeys.All.Order(), StoredQueries().Keys.Order());
    }

    [Fact]
    public void A_syntax_error_is_reported()
    {
        Assert.NotEmpty(ParseErrors("SELECT FROM WHERE;"));
    }

    private static IEnumerable<string> ParseErrors(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}");
    }

    /// <summary>The (QueryKey, QueryText) pairs the scripts merge into OrleansQuery, as SQL Server would store them.</summary>
    private static Dictionary<string, string> StoredQueries()
    {
        var queries = new Dictionary<string, string>();
        foreach (var script in SchemaScripts.For(StorageProvider.SqlServer))
        {
            var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script.Contents), out _);
            var merges = new OrleansQueryMerges();
            fragment.Accept(merges);
            foreach (var row in merges.Rows)
            {
                queries.Add(((StringLiteral)row.ColumnValues[0]).Value, ((StringLiteral)row.ColumnValues[1]).Value);
            }
        }

        return queries;
    }

    private sealed class OrleansQueryMerges : TSqlFragmentVisitor
    {
        public List<RowValue> Rows { get; } = [];

        public override void Visit(MergeSpecification node)
        {
            if (node.Target is NamedTableReference { SchemaObject.BaseIdentifier.Value: "OrleansQuery" }
                && node.TableReference is InlineDerivedTable source)
            {
                Rows.AddRange(source.RowValues);
            }
        }
    }
}
