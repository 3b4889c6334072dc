using System.Globalization;

namespace Ledger.Domain.Bundles;

/// <summary>
/// The order in which records may follow the header (docs/FORMAT.md §7.3), shared by the reader and the writer so
/// that the writer cannot produce what the reader refuses.
/// </summary>
/// <remarks>
/// Full: <c>(consistency? checkpoint)* frontier? (inclusion entry | consistency? checkpoint)* (entry | consistency? checkpoint)*</c>,
/// the frontier present exactly when <c>from</c> &gt; 0 and before any entry; inclusion records only for the context
/// entries between the frontier and the first entry of the range.
/// Stream and lineage: <c>checkpoint (attestation* inclusion entry | consistency? checkpoint)*</c>; lineage bundles only may
/// hold attestation records, each right before the inclusion record of the entry that names it.
/// Then the trailer. Not thread-safe.
/// </remarks>
internal sealed class BundleGrammar
{
    private readonly BundleHeader _header;
    private bool _expectEntry;
    private bool _expectCheckpoint;
    private bool _sawFrontier;
    private bool _sawCheckpoint;
    private bool _inRange;
    private bool _expectInclusion;

    public BundleGrammar(BundleHeader header) => _header = header;

    /// <summary>Whether the next record must be an entry proved by the inclusion record just accepted.</summary>
    public bool ExpectsProvedEntry => _expectEntry;

    /// <summary>Whether an entry not announced by an inclusion record may come next (the range of a full bundle).</summary>
    public bool AllowsUnprovedEntry =>
        _header.Kind == BundleKind.Full && !_expectEntry && !_expectCheckpoint && (_header.From == 0 || _sawFrontier);

    /// <summary>Null when <paramref name="record"/> may come next (and then it is taken), otherwise why not.</summary>
    public string? Accept(BundleRecord record)
    {
        if (_expectEntry && record is not BundleEntry)
        {
            return $"an inclusion record must be followed by the entry it proves, not by a {record.RecordName} record";
        }

        if (_expectCheckpoint && record is not BundleCheckpoint)
        {
            return $"a consistency record must be followed by the checkpoint it leads to, not by a {record.RecordName} record";
        }

        if (_expectInclusion && record is not (BundleInclusion or BundleAttestation))
        {
            return $"an attestation record is followed by the inclusion record of the entry that names it, not by a {record.RecordName} record";
        }

        var full = _header.Kind == BundleKind.Full;
        switch (record)
        {
            case BundleHeader:
                return "a bundle has one header, on line 2";
            case BundleEntry when _expectEntry:
                _expectEntry = false;
                return null;
            case BundleEntry when !full:
                return "every entry of a stream or lineage bundle follows its inclusion record";
            case BundleEntry when _header.From > 0 && !_sawFrontier:
                return "a full bundle that starts after position 0 has its frontier record before any entry";
            case BundleEntry:
                _inRange = true;
                return null;
            case BundleInclusion when full && (!_sawFrontier || _inRange):
                return "in a full bundle, inclusion records prove only the context entries between the frontier and the first entry of the range";
            case BundleInclusion when !full && !_sawCheckpoint:
                return "the first checkpoint comes before any inclusion record";
            case BundleInclusion:
                _expectEntry = true;
                _expectInclusion = false;
                return null;
            case BundleAttestation when _header.Kind != BundleKind.Lineage:
                return "only lineage bundles hold attestation records";
            case BundleAttestation when !_sawCheckpoint:
                return "the first checkpoint comes before any attestation record";
            case BundleAttestation:
                _expectInclusion = true;
                return null;
            case BundleFrontier when !full:
                return "only full bundles have a frontier record";
            case BundleFrontier when _sawFrontier || _inRange:
                return "a full bundle has at most one frontier record, before any entry";
            case BundleFrontier f when f.Size != _header.From || f.Size == 0:
                return string.Create(CultureInfo.InvariantCulture, $"the frontier's size ({f.Size}) must be the header's from ({_header.From}), which is above 0");
            case BundleFrontier f when f.Hashes.Count != (int)long.PopCount(f.Size):
                return string.Create(CultureInfo.InvariantCulture, $"the frontier of size {f.Size} has {long.PopCount(f.Size)} hashes, not {f.Hashes.Count}");
            case BundleFrontier:
                _sawFrontier = true;
                return null;
            case BundleConsistency:
                _expectCheckpoint = true;
                return null;
            case BundleCheckpoint when !full && !_sawCheckpoint && _expectCheckpoint:
                return "the first checkpoint of a stream or lineage bundle has no consistency record before it";
            case BundleCheckpoint:
                _expectCheckpoint = false;
                _sawCheckpoint = true;
                return null;
            case BundleTrailer when full && _header.From > 0 && !_sawFrontier:
                return "a full bundle that starts after position 0 has a frontier record";
            case BundleTrailer:
                return null;
            default:
                return $"unexpected {record.RecordName} record";
        }
    }
}
