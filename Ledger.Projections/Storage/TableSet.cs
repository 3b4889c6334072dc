namespace Ledger.Projections.Storage;

/// <summary>Which physical tables a write goes to: the live ones, or the shadow ones of a rebuild.</summary>
internal sealed class TableSet(bool shadow)
{
    public static TableSet Live { get; } = new(shadow: false);

    public static TableSet Shadow { get; } = new(shadow: true);

    public bool IsShadow { get; } = shadow;

    public string this[TableSpec table] => IsShadow ? table.ShadowName : table.LiveName;
}
