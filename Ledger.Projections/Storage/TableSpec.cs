namespace Ledger.Projections.Storage;

/// <summary>The kinds of column a read model uses (the same on both engines, so rows compare equal).</summary>
internal enum ColumnKind
{
    /// <summary>64-bit integer: positions, counts, flags (0/1), instants as microseconds since the Unix epoch (UTC).</summary>
    Long,

    /// <summary>UTF-8 text; lists are JSON arrays of strings.</summary>
    Text,

    /// <summary>Bytes (hashes).</summary>
    Bytes,
}

/// <summary>One column of a read-model table.</summary>
internal sealed record Column(string Name, ColumnKind Kind, bool Nullable = false);

/// <summary>A secondary index, created on the live table (after the bulk load, for a rebuilt one).</summary>
/// <param name="Suffix">Index name is <c>{table}_{suffix}</c>.</param>
/// <param name="Columns">The indexed columns, SQL.</param>
/// <param name="Where">A partial index's predicate, SQL, or null.</param>
internal sealed record IndexSpec(string Suffix, string Columns, string? Where = null);

/// <summary>
/// One read-model table: its logical name (live table <c>proj_{name}</c>, shadow table of a rebuild
/// <c>proj_rebuild_{name}</c>), columns in storage order, primary key and secondary indexes.
/// </summary>
internal sealed record TableSpec(string Name, IReadOnlyList<Column> Columns, IReadOnlyList<string> PrimaryKey, IReadOnlyList<IndexSpec> Indexes)
{
    public const string LivePrefix = "proj_";
    public const string ShadowPrefix = "proj_rebuild_";

    public string LiveName => LivePrefix + Name;

    public string ShadowName => ShadowPrefix + Name;

    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));

    public int Ordinal(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"Table {Name} has no column {column}.", nameof(column));
    }
}
