using System.Runtime.CompilerServices;
using Ledger.Domain.Canonical;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Parameters;
using Ledger.Domain.Publications;

namespace Ledger.Verifier;

/// <summary>
/// The parallel stage: hashes, parses and signature-checks a batch of entries on every core. Nothing here depends
/// on the order of entries; whether a key may sign for an emitter at a position is decided later, in order.
/// </summary>
/// <remarks>
/// Keys are looked up by key id (SHA-256 of the key), so verifying under the key a signature names is a purely
/// cryptographic question. The key table is only read here, and only changed by the sequential stage between batches.
/// </remarks>
internal sealed class EntryPreparer
{
    private readonly IReadOnlyDictionary<string, VerificationKey> _keysById;
    private readonly bool _hashesOnly;
    private readonly ParallelOptions _parallel;

    public EntryPreparer(IReadOnlyDictionary<string, VerificationKey> keysById, bool hashesOnly, int degreeOfParallelism)
    {
        _keysById = keysById;
        _hashesOnly = hashesOnly;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, degreeOfParallelism) };
    }

    public void Prepare(IReadOnlyList<PreparedEntry> entries)
    {
        if (entries.Count < 8 || _parallel.MaxDegreeOfParallelism == 1)
        {
            foreach (var entry in entries)
            {
                Prepare(entry);
            }

            return;
        }

        // Contiguous chunks per worker: cheaper than one work item per entry.
        var workers = Math.Min(_parallel.MaxDegreeOfParallelism * 4, entries.Count);
        Parallel.For(0, workers, _parallel, w =>
        {
            var start = (int)((long)entries.Count * w / workers);
            var end = (int)((long)entries.Count * (w + 1) / workers);
            for (var i = start; i < end; i++)
            {
                Prepare(entries[i]);
            }
        });
    }

    // Runs once per entry from the first on: compiled optimized at once rather than left unoptimized until tiering
    // promotes it, which in a run of a second or two is much of the run (docs/BENCHMARKS.md, 2026-12-06).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Prepare(PreparedEntry prepared)
    {
        var bytes = prepared.Bytes.Span;
        MerkleHash.HashLeaf(bytes, prepared.LeafHash);
        if (_hashesOnly)
        {
            return;
        }

        LedgerEntry entry;
        try
        {
            entry = LedgerEntry.Parse(bytes);
        }
        catch (CanonicalJsonException e)
        {
            prepared.ParseErrorCode = "entry.not-canonical";
            prepared.ParseError = e.Message;
            return;
        }
        catch (FormatException e)
        {
            prepared.ParseErrorCode = "entry.malformed";
            prepared.ParseError = e.Message;
            return;
        }

        prepared.Entry = entry;
        ParseEvent(prepared, entry);
        if (entry.Signature is { } signature)
        {
            try
            {
                prepared.Signature = _keysById.TryGetValue(signature.KeyId, out var key)
                    ? Verify(bytes, signature, key)
                    : SignatureState.Deferred;
            }
            catch (PlatformNotSupportedException)
            {
                // The sequential stage tries again and reports it.
                prepared.Signature = SignatureState.Deferred;
            }
        }
    }

    /// <summary>Checks <paramref name="signature"/> over the entry's statement under <paramref name="key"/>.</summary>
    /// <param name="canonicalEntry">The entry's canonical bytes (checked by <see cref="LedgerEntry.Parse"/>): the statement's bytes are cut from them.</param>
    /// <param name="signature">The entry's signature.</param>
    /// <param name="key">The key its key id names.</param>
    public static SignatureState Verify(ReadOnlySpan<byte> canonicalEntry, EmitterSignature signature, VerificationKey key)
    {
        if (!string.Equals(signature.Alg, key.Algorithm, StringComparison.Ordinal))
        {
            return SignatureState.Invalid;
        }

        try
        {
            return key.Verify(LedgerEntry.StatementBytes(canonicalEntry), signature.GetValueBytes()) ? SignatureState.Valid : SignatureState.Invalid;
        }
        catch (FormatException)
        {
            return SignatureState.Invalid;
        }
    }

    private static void ParseEvent(PreparedEntry prepared, LedgerEntry entry)
    {
        var stream = entry.Stream;
        var type = entry.Type;
        var data = entry.Data;
        IReadOnlyList<string> errors;
        if (string.Equals(stream, LedgerParameters.StreamName, StringComparison.Ordinal))
        {
            prepared.Event = LedgerParametersCodec.TryParse(type, data, out var configured, out errors) ? configured : null;
        }
        else if (string.Equals(stream, EmitterRegistry.StreamName, StringComparison.Ordinal))
        {
            prepared.Event = EmitterEventCodec.TryParse(type, data, out var emitterEvent, out errors) ? emitterEvent : null;
        }
        else if (string.Equals(stream, GovernanceBook.StreamName, StringComparison.Ordinal))
        {
            prepared.Event = GovernanceEventCodec.TryParse(type, data, out var governanceEvent, out errors) ? governanceEvent : null;
        }
        else if (stream.StartsWith(ExecutionId.StreamPrefix, StringComparison.Ordinal))
        {
            prepared.Event = ExecutionEventCodec.TryParse(type, data, out var executionEvent, out errors) ? executionEvent : null;
        }
        else
        {
            return;
        }

        if (prepared.Event is null)
        {
            prepared.EventErrors = errors.Count > 0 ? errors : ["data: invalid"];
        }
    }
}
