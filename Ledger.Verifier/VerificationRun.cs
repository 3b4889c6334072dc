using System.Collections.Concurrent;
using System.Diagnostics;
using Ledger.Domain.Bundles;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Verifier;

/// <summary>The state of one verification: read a batch, prepare its entries in parallel, check its records in order.</summary>
internal sealed partial class VerificationRun
{
    private const int BatchBytes = 2 * 1024 * 1024;

    // Batches read and not yet checked, the one being checked included: while one is checked, the next is read and
    // prepared. What they hold is most of what survives a gen-0 collection, and the runtime sizes the gen-0 budget (what
    // is allocated, and so resident, between two collections) from what survived the last ones: with three batches of 512
    // records in flight it moved between 16 and 69 MB over a 10^6-entry bundle, with two of 128 it stays near its 16 MB
    // floor (docs/BENCHMARKS.md, 2026-12-06). Peak memory follows the largest budget of the run, not the live data.
    private const int MaxBatchesInFlight = 2;

    // Records per batch: parsed entries weigh a few KB each (and are allocated anew for every entry), so full
    // verification keeps batches small; for hashes only an entry is its bytes and a hash in reused objects, and larger
    // batches mean fewer hand-offs between threads.
    private const int FullBatchRecords = 128;
    private const int HashesOnlyBatchRecords = 8192;

    private readonly TlogPolicy _policy;
    private readonly DateTimeOffset _now;
    private readonly VerifierSettings _settings;
    private readonly Action<long>? _progress;
    private readonly FindingLog _log = new();
    private readonly StreamBook _streams = new();
    private readonly List<SplitViewRecord> _splitViews = [];
    // Written by the checks, read by the preparing threads at the same time.
    private readonly ConcurrentDictionary<string, VerificationKey> _keysById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VerificationKey?> _keysByText = new(StringComparer.Ordinal);
    private readonly EntryPreparer _preparer;
    private readonly ConcurrentQueue<(List<(BundleRecord Record, long Line, bool Proved, PreparedEntry? Entry)> Records, List<PreparedEntry> Entries)> _spareLists = new();
    private EmitterRegistry _registry = EmitterRegistry.Empty;
    private LifecycleReplay? _replay;
    private ProofChecks? _proofs;
    private BundleHeader _header = null!;
    private long _signaturesVerified;
    private long _inclusionProofs;

    public VerificationRun(TlogPolicy policy, VerifierSettings settings, Action<long>? progress)
    {
        _policy = policy;
        _now = settings.Now ?? DateTimeOffset.UtcNow;
        _settings = settings;
        _progress = progress;
        _preparer = new EntryPreparer(_keysById, settings.HashesOnly, settings.DegreeOfParallelism);
    }

    public VerificationReport Run(Stream bundle)
    {
        var clock = Stopwatch.StartNew();
        string? unusable = null;
        using var reader = new BundleReader(bundle, leaveOpen: true);
        try
        {
            _log.Line = 2;
            _header = (BundleHeader)reader.Read()!;
            Start();
            ReadAll(reader);
            _log.Line = reader.LineNumber;
            if (!_settings.HashesOnly)
            {
                _replay!.Finish(reader.LineNumber);
            }
        }
        catch (BundleFormatException e)
        {
            unusable = e.Message;
        }
        catch (IOException e)
        {
            unusable = "the bundle could not be read: " + e.Message;
        }

        var outcome = _log.FailureCount > 0 ? VerificationOutcome.Invalid
            : unusable is not null ? VerificationOutcome.Unusable
            : VerificationOutcome.Valid;
        return new VerificationReport
        {
            Outcome = outcome,
            Header = reader.Header,
            Unusable = unusable,
            Failures = _log.Failures,
            FailureCount = _log.FailureCount,
            Warnings = _log.Warnings,
            WarningCount = _log.WarningCount,
            TrustedKeys = _policy.Logs.Select(l => l.Key.Name + "+" + l.Key.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Quorum = _policy.RequiresWitnesses ? _policy.QuorumName : null,
            HashesOnly = _settings.HashesOnly,
            ParentAttestations = _replay?.ParentAttestations ?? [],
            GovernanceAttestations = _replay?.GovernanceAttestations ?? [],
            SplitViews = _splitViews,
            LastCheckpoint = _log.FailureCount == 0 && unusable is null ? LastHeld() : null,
            Counts = new VerificationCounts
            {
                Lines = reader.LineNumber,
                Bytes = reader.BytesRead,
                Entries = reader.Entries,
                InclusionProofs = _inclusionProofs,
                Checkpoints = reader.Checkpoints,
                RootsRecomputed = _rootsRecomputed,
                ConsistencyProofs = _consistencyProofs,
                Streams = _streams.Count,
                SignaturesVerified = _signaturesVerified,
                ExecutionsReplayed = _replay?.ExecutionsReplayed ?? 0,
                EventsReplayed = _replay?.EventsReplayed ?? 0,
                EventsNotReplayed = _replay?.EventsNotReplayed ?? 0,
                LineageNotChecked = _replay?.LineageNotChecked ?? 0,
                ProofsChecked = _proofs?.ProofsChecked ?? 0,
                ProofDigestsNotChecked = _proofs?.DigestsNotChecked ?? 0,
                ProofRootsNotChecked = _proofs?.RootsNotChecked ?? 0,
                Elapsed = clock.Elapsed,
            },
        };
    }

    private void Start()
    {
        var full = _header.Kind == BundleKind.Full;
        if (_settings.From is { } held)
        {
            if (!full || _header.From != held.Size)
            {
                throw new BundleFormatException(FormattableString.Invariant(
                    $"--from-checkpoint: the saved checkpoint has size {held.Size}, so the bundle must be a full export from position {held.Size} (GET /v1/export?from={held.Size}); this one is {_header.Describe()}"));
            }

            // The previous audit's checkpoint is where this one starts: the frontier must be its range, and the bundle's
            // first checkpoint after it is checked against the root recomputed from that range.
            _lastCheckpoint = (held.Size, held.Root);
            _lastCheckpointNote = held.Note;
            _previousIsHeld = true;
        }

        if (full && _header.From == 0)
        {
            _range = new CompactRange();
        }

        _replay = new LifecycleReplay(_header.Origin, absentParentIsMissing: full && _header.From == 0, _streams, _log);
        _proofs = new ProofChecks(_header, _log);
    }

    // Three stages overlap: a reading thread frames records into batches and starts preparing each batch's entries in
    // parallel (hashes, parsing, signatures) as soon as it is read; this thread waits for each batch in turn and runs the
    // order-dependent checks on it. At most MaxBatchesInFlight batches are read and not yet checked, so memory stays
    // flat in bundle size.
    private void ReadAll(BundleReader reader)
    {
        using var batches = new BlockingCollection<Batch>(MaxBatchesInFlight);
        using var inFlight = new SemaphoreSlim(MaxBatchesInFlight, MaxBatchesInFlight);
        using var stop = new CancellationTokenSource();
        var producer = new Thread(() => Produce(reader, batches, inFlight, stop.Token)) { IsBackground = true, Name = "ledger-verify reader" };
        producer.Start();
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable())
            {
                batch.Prepared.GetAwaiter().GetResult();
                foreach (var (record, line, proved, prepared) in batch.Records)
                {
                    _log.Line = line;
                    Check(record, prepared, proved, reader);
                    // The checks are done with the entry (what they keep, they hold themselves): its parsed objects need
                    // not live until the whole batch is checked.
                    prepared?.Clear();
                }

                // Every record of the batch is checked: its entries' bytes and its lists are no longer read, and its
                // prepared entries are filled again by a later batch.
                batch.Arena.Dispose();
                batch.Records.Clear();
                _spareLists.Enqueue((batch.Records, batch.Entries));
                inFlight.Release();

                _progress?.Invoke(batch.BytesRead);
                if (batch.Failure is not null)
                {
                    throw batch.Failure;
                }
            }
        }
        finally
        {
            stop.Cancel();
            producer.Join();
        }
    }

    private void Produce(BundleReader reader, BlockingCollection<Batch> batches, SemaphoreSlim inFlight, CancellationToken stop)
    {
        try
        {
            var done = false;
            while (!done && !stop.IsCancellationRequested)
            {
                // Room for one more: at most MaxBatchesInFlight batches are read and not yet checked.
                inFlight.Wait(stop);
                var batchRecords = _settings.BatchRecords ?? (_settings.HashesOnly ? HashesOnlyBatchRecords : FullBatchRecords);
                // The lists of a checked batch are reused: at 8,192 records they would be large-object allocations.
                var (records, entries) = _spareLists.TryDequeue(out var spare)
                    ? spare
                    : (new List<(BundleRecord Record, long Line, bool Proved, PreparedEntry? Entry)>(batchRecords), new List<PreparedEntry>(batchRecords));
                var arena = new EntryArena();
                reader.CopyEntry = arena.Copy;
                // Nothing keeps a prepared entry past its batch (the checks copy what they keep), so a spare batch's
                // entries are filled again.
                var recycled = entries.Count;
                var count = 0;
                var bytes = 0L;
                Exception? failure = null;
                while (records.Count < batchRecords && bytes < BatchBytes)
                {
                    BundleRecord? record;
                    try
                    {
                        record = reader.Read();
                    }
                    catch (Exception e)
                    {
                        failure = e;
                        done = true;
                        break;
                    }

                    if (record is null)
                    {
                        done = true;
                        break;
                    }

                    PreparedEntry? prepared = null;
                    if (record is BundleEntry entry)
                    {
                        if (count < recycled)
                        {
                            prepared = entries[count];
                            prepared.Reset(entry.Canonical);
                        }
                        else
                        {
                            prepared = new PreparedEntry(entry.Canonical);
                            entries.Add(prepared);
                        }

                        count++;
                        bytes += entry.Canonical.Length;
                    }

                    records.Add((record, reader.LineNumber, reader.LastEntryWasProved, prepared));
                }

                entries.RemoveRange(count, entries.Count - count);
                var preparing = entries.Count == 0 ? Task.CompletedTask : Task.Run(() => _preparer.Prepare(entries), CancellationToken.None);
                batches.Add(new Batch(records, entries, preparing, reader.BytesRead, failure, arena), stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The checks stopped early (an unusable bundle): nothing more is read.
        }
        finally
        {
            batches.CompleteAdding();
        }
    }

    private sealed record Batch(
        List<(BundleRecord Record, long Line, bool Proved, PreparedEntry? Entry)> Records,
        List<PreparedEntry> Entries,
        Task Prepared,
        long BytesRead,
        Exception? Failure,
        EntryArena Arena);

    private void Check(BundleRecord record, PreparedEntry? prepared, bool proved, BundleReader reader)
    {
        switch (record)
        {
            case BundleEntry:
                OnEntry(prepared!, proved);
                break;
            case BundleCheckpoint checkpoint:
                OnCheckpoint(checkpoint);
                break;
            case BundleConsistency consistency:
                _pendingConsistency = consistency;
                break;
            case BundleAttestation attestation:
                _pendingAttestation = attestation.Text;
                break;
            case BundleInclusion inclusion:
                _pendingInclusion = inclusion;
                break;
            case BundleFrontier frontier:
                OnFrontier(frontier);
                break;
            case BundleTrailer trailer:
                OnTrailer(trailer, reader);
                break;
            default:
                break;
        }
    }
}
