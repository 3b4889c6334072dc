using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;

namespace Ledger.Verifier;

/// <summary>
/// Per-stream state: the version and leaf hash of each stream's last entry (to check versions and the previous-hash
/// chain) and, for executions, the replayed state.
/// </summary>
/// <remarks>
/// <para>Memory is what grows with the number of streams, so it is kept compact: an open stream (not yet ended) holds
/// its name, version, last leaf hash and execution state; an ended execution shrinks to a 16-byte key (the first
/// 128 bits of SHA-256 of its name), its version, last leaf hash and status; one whose proof was persisted (nothing may
/// follow) to the key and its status: a 32-byte table entry and its bucket, 39 bytes per stream in a table sized for it
/// (the key is two 8-byte halves: a <see cref="UInt128"/> key is aligned to 16 bytes and made it 48 bytes, 56 per stream).</para>
/// <para>Not thread-safe: used by the sequential stage only.</para>
/// </remarks>
internal sealed class StreamBook
{
    // The ended streams are spread over many small tables rather than one large one: a table of 10^5 entries
    // would live on the large object heap, which is compacted rarely, and each resize would leave a large dead
    // array behind; small tables stay in the compacted heap and resize in small steps.
    private const int Shards = 256;

    private readonly Dictionary<string, OpenStream> _open = new(StringComparer.Ordinal);
    private readonly Sharded<ClosedStream> _closed = new(Shards);
    private readonly Sharded<ExecutionStatus> _sealed = new(Shards);

    /// <summary>Streams seen so far.</summary>
    public long Count => _open.Count + _closed.Count + _sealed.Count;

    /// <summary>Open streams holding execution state (not yet ended).</summary>
    public IEnumerable<ExecutionState> OpenExecutions =>
        _open.Values.Where(s => s.State is { IsTerminal: false }).Select(s => s.State!);

    /// <summary>
    /// Looks the entry's stream up, checks its version and previous hash, records the entry as the stream's last, and
    /// says what is known of the stream.
    /// </summary>
    public StreamView Track(LedgerEntry entry, byte[] leafHash, long position, bool historyMayBeIncomplete, FindingLog log)
    {
        var name = entry.Stream;
        if (_open.TryGetValue(name, out var open))
        {
            CheckChain(entry, position, open.Version, open.Last, open.LastPosition, log);
            open.Version = entry.StreamVersion;
            leafHash.CopyTo(open.Last, 0);
            open.LastPosition = position;
            return new StreamView(name, Key(name), open, null, false, false);
        }

        var key = Key(name);
        if (_sealed.TryGetValue(key, out var status))
        {
            log.Fail("stream.after-proof", position, null,
                $"stream '{name}' received version {entry.StreamVersion} after its execution ended and its proof was persisted; nothing may follow",
                new EvidenceBuilder().Add("status", status.ToWireName()).Add("recorded", entry.Type));
            return new StreamView(name, key, null, null, true, false);
        }

        if (_closed.TryGetValue(key, out var closed))
        {
            CheckChain(entry, position, closed.Version, closed.Last, closed.LastPosition, log);
            closed.Version = entry.StreamVersion;
            closed.LastPosition = position;
            leafHash.CopyTo(closed.Last);
            _closed[key] = closed;
            return new StreamView(name, key, null, closed, false, false);
        }

        var created = new OpenStream { Version = entry.StreamVersion, LastPosition = position };
        leafHash.CopyTo(created.Last, 0);
        var incomplete = entry.StreamVersion != 1;
        if (incomplete && !historyMayBeIncomplete)
        {
            log.Fail("stream.missing-start", position, null,
                $"stream '{name}' first appears at version {entry.StreamVersion}; its earlier events are not in the bundle",
                new EvidenceBuilder().Add("expected streamVersion", 1).Add("found streamVersion", entry.StreamVersion));
        }

        created.Replayable = !incomplete;
        _open.Add(name, created);
        return new StreamView(name, key, created, null, false, true) { HistoryIncomplete = incomplete };
    }

    /// <summary>The open stream of an execution, if it is open.</summary>
    public OpenStream? FindOpen(string stream) => _open.GetValueOrDefault(stream);

    /// <summary>The status and proof of an ended execution's stream, if it ended.</summary>
    public (ExecutionStatus Status, bool Proven)? FindEnded(string stream)
    {
        var key = Key(stream);
        if (_sealed.TryGetValue(key, out var status))
        {
            return (status, true);
        }

        return _closed.TryGetValue(key, out var closed) ? (closed.Status, false) : null;
    }

    /// <summary>Stores an execution's state after an event; ended executions shrink to their compact form.</summary>
    public void Store(StreamView view, ExecutionState state)
    {
        if (view.Open is { } open)
        {
            if (!state.IsTerminal)
            {
                open.State = state;
                return;
            }

            _open.Remove(view.Name);
            if (state.IsProven)
            {
                _sealed[view.Key] = state.Status;
                return;
            }

            var closed = new ClosedStream { Version = open.Version, LastPosition = open.LastPosition, Status = state.Status };
            open.Last.AsSpan().CopyTo(closed.Last);
            _closed[view.Key] = closed;
            return;
        }

        if (view.Closed is { } ended)
        {
            if (state.IsProven)
            {
                _closed.Remove(view.Key);
                _sealed[view.Key] = state.Status;
            }
            else
            {
                _closed[view.Key] = ended with { Status = state.Status };
            }
        }
    }

    private static void CheckChain(LedgerEntry entry, long position, long version, ReadOnlySpan<byte> last, long lastPosition, FindingLog log)
    {
        if (entry.StreamVersion != version + 1)
        {
            log.Fail("stream.version-gap", position, null,
                FormattableString.Invariant($"stream '{entry.Stream}' goes from version {version} (position {lastPosition}) to version {entry.StreamVersion}"),
                new EvidenceBuilder().Add("expected streamVersion", version + 1).Add("found streamVersion", entry.StreamVersion).Add("previous position", lastPosition));
        }

        if (entry.Prev is { } prev && !prev.AsSpan().SequenceEqual(last))
        {
            log.Fail("stream.chain-broken", position, null,
                FormattableString.Invariant($"the entry's prev is not the leaf hash of the stream's previous entry (position {lastPosition}): one of the two was changed"),
                new EvidenceBuilder().Add("previous position", lastPosition).Hash("expected prev (leaf hash of the previous entry)", last).Hash("found prev", prev));
        }
    }

    private static StreamKey Key(string name)
    {
        // Called once per entry on the sequential stage: no array for the name's bytes, and OpenSSL without the BCL's per-call cost.
        Span<byte> hash = stackalloc byte[32];
        var length = Encoding.UTF8.GetByteCount(name);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(name, utf8);
        Sha256Digest.HashData(utf8, hash);
        return new StreamKey(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
    }

    /// <summary>A stream that has not ended.</summary>
    internal sealed class OpenStream
    {
        public long Version { get; set; }

        public long LastPosition { get; set; }

        public byte[] Last { get; } = new byte[32];

        /// <summary>The execution's state; null for other streams and before the first replayed event.</summary>
        public ExecutionState? State { get; set; }

        /// <summary>Whether the stream's whole history is in the bundle and replay has not stopped.</summary>
        public bool Replayable { get; set; }
    }

    /// <summary>An ended execution: enough to check its chain and answer for it as a parent.</summary>
    internal struct ClosedStream
    {
        public long Version;
        public long LastPosition;
        public Hash32 Last;
        public ExecutionStatus Status;
    }

    [InlineArray(32)]
    internal struct Hash32
    {
        private byte _first;
    }

    /// <summary>A stream's compact key: the first 128 bits of SHA-256 of its name, uniformly distributed.</summary>
    internal readonly struct StreamKey(ulong low, ulong high) : IEquatable<StreamKey>
    {
        public ulong Low { get; } = low;

        public ulong High { get; } = high;

        public bool Equals(StreamKey other) => Low == other.Low && High == other.High;

        public override bool Equals(object? obj) => obj is StreamKey other && Equals(other);

        // The table is chosen by the low half; the hash within it comes from the other half.
        public override int GetHashCode() => unchecked((int)High);
    }

    /// <summary>A dictionary keyed by a <see cref="StreamKey"/>, split into small tables by the key's low byte.</summary>
    private sealed class Sharded<TValue>(int shards)
    {
        private readonly Dictionary<StreamKey, TValue>[] _tables = Enumerable.Range(0, shards).Select(_ => new Dictionary<StreamKey, TValue>()).ToArray();

        public long Count { get; private set; }

        public TValue this[StreamKey key]
        {
            set
            {
                var table = Table(key);
                var before = table.Count;
                table[key] = value;
                Count += table.Count - before;
            }
        }

        public bool TryGetValue(StreamKey key, out TValue value) => Table(key).TryGetValue(key, out value!);

        public void Remove(StreamKey key)
        {
            if (Table(key).Remove(key))
            {
                Count--;
            }
        }

        private Dictionary<StreamKey, TValue> Table(StreamKey key) => _tables[(int)unchecked((uint)key.Low % (uint)_tables.Length)];
    }
}
