namespace Ledger.Domain.Bundles;

/// <summary>Constants of the export bundle format (docs/FORMAT.md §7).</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class BundleFormat
{
    /// <summary>The version this code reads and writes.</summary>
    public const int Version = 1;

    /// <summary>The value of the version line's <c>format</c> member.</summary>
    public const string FormatName = "ledger-bundle";

    /// <summary>The longest line accepted, newline excluded: 16 MiB.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>The largest integer a bundle carries (2^53 − 1, exact in any JSON number implementation).</summary>
    public const long MaxInteger = 9_007_199_254_740_991;

    /// <summary>The emitter name the ledger writes on the entries it appends itself (refusals, cascades, sweeps, proofs, configuration).</summary>
    /// <remarks>Not a valid registered emitter name (registered names are <c>[A-Za-z0-9._:-]</c>), so no emitter can claim it.</remarks>
    public const string LedgerEmitter = "$ledger";

    /// <summary>The first line of every version-1 bundle, without its newline.</summary>
    public static ReadOnlySpan<byte> VersionLine => "{\"format\":\"ledger-bundle\",\"version\":1}"u8;

    /// <summary>The bytes every entry line starts with: an entry's first member in canonical order is <c>data</c>.</summary>
    public static ReadOnlySpan<byte> EntryPrefix => "{\"data\":"u8;
}
