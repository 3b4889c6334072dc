using System.Globalization;

namespace Ledger.Testing;

/// <summary>A tiled log read and checked by <see cref="TlogTileClient"/>: its entries, its tile hashes by level and its root.</summary>
public sealed record TlogTree(long Size, IReadOnlyList<byte[]> Entries, IReadOnlyList<IReadOnlyList<byte[]>> Levels, byte[] Root)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"tree of {Size}, {Levels.Count} tile levels, root {Convert.ToBase64String(Root)}");
}
