using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Ledger.Domain.Notes;
using Ledger.Domain.Witnessing;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Jobs;

/// <summary>
/// The witness client (DESIGN §8.1, "as a log"): submits the latest checkpoint to every configured witness, with a
/// consistency proof from the size that witness last cosigned (from the kept cosignatures: durable, 0 at first),
/// follows 409 <c>text/x.tlog.size</c> answers by re-sending from the size the witness names, verifies each returned
/// cosignature against the witness's configured key and keeps it with the checkpoint. The checkpoint job wakes it
/// after every signing; it also ticks on <see cref="LedgerOptions.WitnessInterval"/>, so a witness that was down
/// catches up. A failing witness is recorded (<see cref="Progress"/>) and never holds the others back.
/// </summary>
public sealed partial class WitnessJob : ILedgerJob
{
    /// <summary>The media type of a 409's body (c2sp.org/tlog-witness).</summary>
    public const string SizeMediaType = "text/x.tlog.size";

    // A witness that keeps naming other sizes is not followed forever within one tick.
    private const int AttemptsPerTick = 3;

    private readonly LedgerNode _node;
    private readonly IWitnessTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger<WitnessJob> _log;
    private readonly ConcurrentDictionary<string, WitnessProgress> _progress = new(StringComparer.Ordinal);

    public WitnessJob(LedgerNode node, IWitnessTransport transport, CheckpointJob checkpoints, TimeProvider time, ILogger<WitnessJob> log)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        _node = node;
        _transport = transport;
        _time = time;
        _log = log;
        checkpoints.WakeOnSigned(Signal);
    }

    /// <inheritdoc />
    public string Name => "witness";

    /// <inheritdoc />
    public TimeSpan Interval => _node.Options.WitnessInterval;

    /// <inheritdoc />
    public JobSignal Signal { get; } = new();

    /// <summary>What this node saw of each witness, in configuration order (diagnostics; the cosigned sizes are in the store).</summary>
    public IReadOnlyList<WitnessProgress> Progress =>
        [.. _node.Witnesses.Targets.Select(t => _progress.GetValueOrDefault(t.Name) ?? new WitnessProgress(t.Name, null, null, null, null))];

    /// <summary>Submits the latest checkpoint to every witness that has not cosigned it; returns how many cosignatures it kept.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var targets = _node.Witnesses.Targets;
        if (targets.Count == 0)
        {
            return 0;
        }

        var latest = await _node.Store.GetLatestCheckpointAsync(ct).ConfigureAwait(false);
        if (latest is null)
        {
            return 0;
        }

        var sizes = await _node.Store.GetCosignedSizesAsync(ct).ConfigureAwait(false);
        var note = SignedNote.Parse(latest.SignedNote);
        // Only the log's own signature goes to a witness: other witnesses' cosignatures are not its business.
        var logNote = note.Text + "\n" + string.Concat(note.Signatures
            .Where(s => s.Name == _node.Signer.Name && s.KeyId == _node.Signer.KeyId)
            .Select(s => s.Line + "\n"));
        var due = targets.Where(t => sizes.GetValueOrDefault(t.Name, 0) < latest.Size).ToList();
        var kept = await Task.WhenAll(due.Select(t => SubmitAsync(t, sizes.GetValueOrDefault(t.Name, 0), latest.Size, logNote, note.Text, ct))).ConfigureAwait(false);
        return kept.Count(k => k);
    }

    private async Task<bool> SubmitAsync(WitnessTarget target, long oldSize, long size, string logNote, string text, CancellationToken ct)
    {
        Update(target.Name, p => p with { LastAttemptAt = _time.GetUtcNow() });
        try
        {
            for (var attempt = 0; attempt < AttemptsPerTick; attempt++)
            {
                var proof = oldSize == 0 || oldSize == size ? [] : await _node.Store.GetConsistencyProofAsync(oldSize, size, ct).ConfigureAwait(false);
                var reply = await _transport.AddCheckpointAsync(target.AddCheckpointUrl, AddCheckpointRequest.Format(oldSize, proof, logNote), ct).ConfigureAwait(false);
                if (reply.Status == 409 && IsSizeReply(reply, out var named))
                {
                    if (named > size)
                    {
                        return Fail(target, $"the witness says it cosigned size {named}, larger than this log's latest checkpoint ({size})");
                    }

                    LogFollowing(_log, target.Name, oldSize, named);
                    oldSize = named;
                    continue;
                }

                if (reply.Status != 200)
                {
                    return Fail(target, string.Create(CultureInfo.InvariantCulture, $"HTTP {reply.Status}: {FirstLine(reply.Body)}"));
                }

                return await KeepAsync(target, size, text, reply.Body, ct).ConfigureAwait(false);
            }

            return Fail(target, string.Create(CultureInfo.InvariantCulture, $"the witness named another size {AttemptsPerTick} times in a row"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return Fail(target, e is OperationCanceledException ? "no answer within Ledger:WitnessTimeout" : e.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>Verifies the witness's cosignature line(s) against its configured key and keeps the one that verifies.</summary>
    private async Task<bool> KeepAsync(WitnessTarget target, long size, string text, string body, CancellationToken ct)
    {
        var textBytes = Encoding.UTF8.GetBytes(text);
        if (!SignedNote.TryParse(text + "\n" + body, out var lines, out var error))
        {
            return Fail(target, "the answer is not signature lines: " + error);
        }

        var mine = lines.Signatures.Where(s => s.Name == target.Key.Name && s.KeyId == target.Key.KeyId).ToList();
        if (mine.Count == 0)
        {
            return Fail(target, $"the answer holds no signature by the configured key {target.Key.Name}+{target.Key.KeyId.ToString("x8", CultureInfo.InvariantCulture)}");
        }

        var valid = mine.FirstOrDefault(s => target.Key.Verify(textBytes, s.Signature));
        if (valid is null)
        {
            return Fail(target, $"the cosignature by {target.Key.Name}+{target.Key.KeyId.ToString("x8", CultureInfo.InvariantCulture)} does not verify; it was not kept");
        }

        await _node.Store.AddCosignatureAsync(size, target.Name, valid.Line, ct).ConfigureAwait(false);
        Update(target.Name, p => p with { LastCosignedAt = _time.GetUtcNow(), LastError = null, LastErrorAt = null });
        LogCosigned(_log, target.Name, size);
        return true;
    }

    private static bool IsSizeReply(WitnessReply reply, out long size)
    {
        size = 0;
        var body = reply.Body.EndsWith('\n') ? reply.Body[..^1] : reply.Body;
        return reply.ContentType is { } type
            && type.StartsWith(SizeMediaType, StringComparison.OrdinalIgnoreCase)
            && body.Length is > 0 and <= 19
            && (body == "0" || body[0] != '0')
            && long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private bool Fail(WitnessTarget target, string error)
    {
        Update(target.Name, p => p with { LastError = error, LastErrorAt = _time.GetUtcNow() });
        LogFailed(_log, target.Name, error);
        return false;
    }

    private void Update(string witness, Func<WitnessProgress, WitnessProgress> change) =>
        _progress.AddOrUpdate(witness, w => change(new WitnessProgress(w, null, null, null, null)), (_, p) => change(p));

    private static string FirstLine(string body)
    {
        var line = body.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Witness {Witness} cosigned the checkpoint at size {Size}")]
    private static partial void LogCosigned(ILogger logger, string witness, long size);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Witness {Witness} holds size {Named}, not {Sent}: re-sending from its size")]
    private static partial void LogFollowing(ILogger logger, string witness, long sent, long named);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Witness {Witness}: {Error}")]
    private static partial void LogFailed(ILogger logger, string witness, string error);
}
