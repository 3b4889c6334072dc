namespace Ledger.Tests.Shared;

/// <summary>The test collection sharing one private PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name to put on test classes: <c>[Collection(PostgresCollection.Name)]</c>.</summary>
    public const string Name = "postgres";
}
