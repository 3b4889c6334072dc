using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;

namespace Ledger.Api.Append;

/// <summary>The 201 answer of an append: where each event landed.</summary>
public sealed record AppendResponse(string Stream, long StreamVersion, bool Replayed, IReadOnlyList<long> Positions, IReadOnlyList<AppendedEntry> Entries)
{
    public static AppendResponse From(string stream, IReadOnlyList<LedgerEntry> entries, bool replayed) =>
        new(stream, entries[^1].StreamVersion, replayed, [.. entries.Select(e => e.Position)],
            [.. entries.Select(e => new AppendedEntry(e.EventId, e.Position, e.StreamVersion, Convert.ToBase64String(MerkleHash.HashLeaf(e.ToCanonicalBytes()))))]);
}

/// <summary>One appended event: its position (= Merkle leaf index) and leaf hash.</summary>
public sealed record AppendedEntry(string EventId, long Position, long StreamVersion, string LeafHash);

/// <summary>A page of a stream.</summary>
public sealed record StreamResponse(string Stream, long StreamVersion, IReadOnlyList<EntryView> Entries);

/// <summary>An entry as JSON for people and clients (the exact canonical bytes are served by <c>/v1/log/entries</c>).</summary>
public sealed record EntryView(
    long Position, long StreamVersion, string RecordedAt, string EventId, string Type, string Domain, string Emitter,
    string? OccurredAt, JsonElement Data, JsonElement? Metadata, EmitterSignature? Signature, string LeafHash)
{
    public static EntryView From(LedgerEntry e) =>
        new(e.Position, e.StreamVersion, e.RecordedAt.UtcDateTime.ToString(LedgerEntry.RecordedAtFormat, System.Globalization.CultureInfo.InvariantCulture),
            e.EventId, e.Type, e.Domain, e.Emitter, e.OccurredAt, e.Data, e.Metadata, e.Signature,
            Convert.ToBase64String(MerkleHash.HashLeaf(e.ToCanonicalBytes())));
}
