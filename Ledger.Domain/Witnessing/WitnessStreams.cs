using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Witnessing;

/// <summary>The streams and deterministic event ids of what the ledger records as a witness.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class WitnessStreams
{
    /// <summary>The stream of <see cref="CheckpointCosigned"/>.</summary>
    public const string Witness = "$witness";

    /// <summary>The stream of federation findings (<see cref="Federation.SplitViewDetected"/>).</summary>
    public const string Federation = "$federation";

    /// <summary>The lowercase hex SHA-256 of an origin line (tlog-witness's "origin hash").</summary>
    public static string OriginHash(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)));
    }

    /// <summary>The id of the cosigning of <paramref name="origin"/> at <paramref name="size"/>: one record per size.</summary>
    public static string CosignedId(string origin, long size) =>
        string.Create(CultureInfo.InvariantCulture, $"ledger-witness-cosigned-{OriginHash(origin)}-{size}");

    /// <summary>The id of a split view shown by <paramref name="conflictingNote"/>: one record per conflicting note.</summary>
    public static string SplitViewId(string origin, string conflictingNote)
    {
        ArgumentNullException.ThrowIfNull(conflictingNote);
        var note = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conflictingNote)));
        return $"ledger-split-view-{OriginHash(origin)[..32]}-{note[..32]}";
    }
}
