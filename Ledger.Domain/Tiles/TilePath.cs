using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Domain.Tiles;

/// <summary>
/// The resource paths of a c2sp.org/tlog-tiles log, relative to its prefix: <c>checkpoint</c>,
/// <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>.
/// </summary>
/// <remarks>Pure and thread-safe. Parsing is strict: only the canonical spelling of a path is accepted.</remarks>
public static class TilePath
{
    /// <summary>The checkpoint's path.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>The path of Merkle tile <paramref name="tile"/> of level <paramref name="level"/>.</summary>
    public static string Tile(int level, TileAddress tile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, TileGeometry.MaxLevel);
        return "tile/" + level.ToString(CultureInfo.InvariantCulture) + "/" + tile.Format();
    }

    /// <summary>The path of entry bundle <paramref name="bundle"/>.</summary>
    public static string EntryBundle(TileAddress bundle) => "tile/entries/" + bundle.Format();

    /// <summary>Reads a tile level: a decimal integer from 0 to 63 without leading zeros.</summary>
    public static bool TryParseLevel(string? text, out int level, [NotNullWhen(false)] out string? error)
    {
        if (text is not null && TileAddress.TryParseDecimal(text, 0, TileGeometry.MaxLevel, out level))
        {
            error = null;
            return true;
        }

        level = 0;
        error = $"The tile level '{text}' must be a decimal integer from 0 to {TileGeometry.MaxLevel} without leading zeros.";
        return false;
    }
}
