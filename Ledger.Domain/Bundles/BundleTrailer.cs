namespace Ledger.Domain.Bundles;

/// <summary>The bundle's last line: how many lines, entries and checkpoints precede it, so a cut or spliced bundle shows.</summary>
/// <param name="Checkpoints">Checkpoint records in the bundle.</param>
/// <param name="Entries">Entry lines in the bundle (context entries included).</param>
/// <param name="Lines">Lines before the trailer, the version line included.</param>
/// <remarks>The writer produces it; a caller never passes one to <see cref="BundleWriter.WriteAsync(BundleRecord, CancellationToken)"/>. Immutable.</remarks>
public sealed record BundleTrailer(long Checkpoints, long Entries, long Lines) : BundleRecord
{
    /// <inheritdoc />
    public override string RecordName => "trailer";
}
