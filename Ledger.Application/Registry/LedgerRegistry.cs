using Ledger.Application.Hosting;
using Ledger.Domain.Access;
using Ledger.Domain.Emitters;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Application.Registry;

/// <summary>The ledger's own state, folded from the <c>$ledger</c>, <c>$emitters</c> and <c>$tokens</c> streams.</summary>
public sealed record RegistrySnapshot(
    LedgerParameters Parameters,
    long ParametersVersion,
    EmitterRegistry Emitters,
    long EmittersVersion,
    TokenRegistry Tokens,
    long TokensVersion);

/// <summary>
/// Caches <see cref="RegistrySnapshot"/> and catches up with the three streams when they moved: at most once
/// per <see cref="RefreshInterval"/> (other nodes sharing the database), and at once after a local write.
/// Thread-safe.
/// </summary>
public sealed class LedgerRegistry(LedgerNode node, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistrySnapshot _snapshot = new(LedgerParameters.Default, 0, EmitterRegistry.Empty, 0, TokenRegistry.Empty, 0);
    private long _checkedAt = long.MinValue;

    public void Dispose() => _gate.Dispose();

    public void Invalidate() => Interlocked.Exchange(ref _checkedAt, long.MinValue);

    public async Task<RegistrySnapshot> GetAsync(CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_checkedAt != long.MinValue && time.GetElapsedTime(Interlocked.Read(ref _checkedAt), now) < RefreshInterval)
        {
            return _snapshot;
        }

        return await RefreshAsync(checkedAt => checkedAt != long.MinValue && time.GetElapsedTime(checkedAt, now) < RefreshInterval, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The snapshot as of a catch-up that began after <paramref name="since"/> (a <see cref="TimeProvider.GetTimestamp"/>
    /// value): for a lookup that missed, e.g. a token minted or an emitter registered on another node or by the
    /// <c>ledger admin token</c> command a moment ago. Lookups that miss at the same time share one catch-up.
    /// </summary>
    public async Task<RegistrySnapshot> GetSinceAsync(long since, CancellationToken ct)
    {
        var checkedAt = Interlocked.Read(ref _checkedAt);
        if (checkedAt != long.MinValue && checkedAt > since)
        {
            return _snapshot;
        }

        return await RefreshAsync(at => at != long.MinValue && at > since, ct).ConfigureAwait(false);
    }

    private async Task<RegistrySnapshot> RefreshAsync(Func<long, bool> fresh, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (fresh(Interlocked.Read(ref _checkedAt)))
            {
                return _snapshot;
            }

            // Stamped before the reads: everything committed before this instant is in the snapshot.
            var started = time.GetTimestamp();
            var s = _snapshot;
            var store = node.Store;
            var (parameters, pv) = await CatchUpAsync(store, LedgerParameters.StreamName, s.Parameters, s.ParametersVersion, ApplyParameters, ct).ConfigureAwait(false);
            var (emitters, ev) = await CatchUpAsync(store, EmitterRegistry.StreamName, s.Emitters, s.EmittersVersion, ApplyEmitter, ct).ConfigureAwait(false);
            var (tokens, tv) = await CatchUpAsync(store, TokenRegistry.StreamName, s.Tokens, s.TokensVersion, ApplyToken, ct).ConfigureAwait(false);
            _snapshot = new RegistrySnapshot(parameters, pv, emitters, ev, tokens, tv);
            Interlocked.Exchange(ref _checkedAt, started);
            return _snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<(T State, long Version)> CatchUpAsync<T>(
        IEventStore store, string stream, T state, long version, Func<T, Domain.Log.LedgerEntry, T> apply, CancellationToken ct)
    {
        while (true)
        {
            var batch = await store.ReadStreamAsync(stream, version + 1, ReadDirection.Forward, 1000, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return (state, version);
            }

            foreach (var entry in batch)
            {
                state = apply(state, entry);
                version = entry.StreamVersion;
            }
        }
    }

    private static LedgerParameters ApplyParameters(LedgerParameters current, Domain.Log.LedgerEntry entry) =>
        LedgerParametersCodec.TryParse(entry.Type, entry.Data, out var e, out var errors)
            ? LedgerParameters.Evolve(current, e)
            : throw new StoreCorruptedException($"Entry {entry.Position} of {entry.Stream} is not a parameters event: {string.Join("; ", errors)}");

    private static EmitterRegistry ApplyEmitter(EmitterRegistry current, Domain.Log.LedgerEntry entry) =>
        EmitterEventCodec.TryParse(entry.Type, entry.Data, out var e, out var errors)
            ? EmitterRegistry.Evolve(current, e)
            : throw new StoreCorruptedException($"Entry {entry.Position} of {entry.Stream} is not an emitter event: {string.Join("; ", errors)}");

    private static TokenRegistry ApplyToken(TokenRegistry current, Domain.Log.LedgerEntry entry) =>
        AccessEventCodec.TryParse(entry.Type, entry.Data, out var e, out var errors)
            ? TokenRegistry.Evolve(current, e)
            : throw new StoreCorruptedException($"Entry {entry.Position} of {entry.Stream} is not a token event: {string.Join("; ", errors)}");
}
