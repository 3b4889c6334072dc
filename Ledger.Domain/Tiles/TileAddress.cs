using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ledger.Domain.Tiles;

/// <summary>
/// Which tile of a level (or which entry bundle): its index <c>N</c> and its width, with the c2sp.org/tlog-tiles
/// path encoding <c>&lt;N&gt;[.p/&lt;W&gt;]</c> (index 1234067 as <c>x001/x234/067</c>).
/// </summary>
/// <remarks>
/// Immutable. <see cref="TryParse"/> accepts exactly the strings <see cref="Format"/> produces, so that each tile
/// has one path (no leading zeros, no <c>x000</c> prefix, no <c>.p/256</c>): one URL per resource for caches.
/// </remarks>
public readonly record struct TileAddress
{
    /// <summary>A tile of <paramref name="index"/>, full (<paramref name="width"/> 256) or partial (1–255).</summary>
    public TileAddress(long index, int width = TileGeometry.Width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, TileGeometry.Width);
        Index = index;
        Width = width;
    }

    /// <summary>The tile's index within its level (or the bundle's index), 0-based.</summary>
    public long Index { get; }

    /// <summary>The number of hashes (or entries): 256 for a full tile, 1–255 for a partial one.</summary>
    public int Width { get; }

    /// <summary>Whether this is a partial tile (<c>.p/&lt;W&gt;</c>).</summary>
    public bool IsPartial => Width < TileGeometry.Width;

    /// <summary>The first entry index (for level 0 and bundles) or hash index the tile covers: <c>Index × 256</c>.</summary>
    public long FirstHash => checked(Index * TileGeometry.Width);

    /// <summary>The path encoding: <c>x001/x234/067</c>, with <c>.p/W</c> appended for a partial tile.</summary>
    public string Format()
    {
        var n = Index;
        var path = (n % 1000).ToString("000", CultureInfo.InvariantCulture);
        while (n >= 1000)
        {
            n /= 1000;
            path = "x" + (n % 1000).ToString("000", CultureInfo.InvariantCulture) + "/" + path;
        }

        return IsPartial ? path + ".p/" + Width.ToString(CultureInfo.InvariantCulture) : path;
    }

    /// <inheritdoc cref="Format"/>
    public override string ToString() => Format();

    /// <summary>
    /// Reads <c>&lt;N&gt;[.p/&lt;W&gt;]</c> strictly: 3-digit elements, all but the last starting with <c>x</c>, no
    /// superfluous leading <c>x000</c>, and a width of 1–255 without leading zeros.
    /// </summary>
    public static bool TryParse(string? text, out TileAddress address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "The tile index is missing.";
            return false;
        }

        var width = TileGeometry.Width;
        var elements = text.Split('/');
        var count = elements.Length;
        if (count >= 2 && elements[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!TryParseDecimal(elements[^1], 1, TileGeometry.Width - 1, out width))
            {
                error = $"The partial width '{elements[^1]}' in '{text}' must be a decimal integer from 1 to 255 without leading zeros.";
                return false;
            }

            elements[^2] = elements[^2][..^2];
            count--;
        }

        long index = 0;
        for (var i = 0; i < count; i++)
        {
            var element = elements[i];
            var last = i == count - 1;
            var digits = last ? element : element.StartsWith('x') ? element[1..] : "";
            if (digits.Length != 3 || !digits.All(char.IsAsciiDigit))
            {
                error = last
                    ? $"The tile index element '{element}' in '{text}' must be exactly 3 digits."
                    : $"The tile index element '{element}' in '{text}' must be 'x' followed by exactly 3 digits.";
                return false;
            }

            var value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (index > (long.MaxValue - value) / 1000)
            {
                error = $"The tile index '{text}' is larger than {long.MaxValue}.";
                return false;
            }

            index = (index * 1000) + value;
        }

        address = new TileAddress(index, width);
        var canonical = address.Format();
        if (!string.Equals(canonical, text, StringComparison.Ordinal))
        {
            address = default;
            error = $"The tile path '{text}' is not in canonical form; the tile is '{canonical}'.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Reads a decimal ASCII integer in [<paramref name="min"/>, <paramref name="max"/>] with no sign and no leading zeros.</summary>
    internal static bool TryParseDecimal(string text, int min, int max, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 9 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value >= min && value <= max;
    }
}
