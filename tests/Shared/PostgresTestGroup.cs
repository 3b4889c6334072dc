namespace Ledger.Testing;

/// <summary>The test collection sharing one private PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTestGroup : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name to put on test classes: <c>[Collection(PostgresTestGroup.Name)]</c>.</summary>
    public const string Name = "postgres";
}
