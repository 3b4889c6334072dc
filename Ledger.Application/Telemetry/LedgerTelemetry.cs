using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Microsoft.Extensions.Logging;

namespace Ledger.Application.Telemetry;

/// <summary>
/// The ledger's own instruments, spans and decision logs (docs/OPERATIONS.md, "Telemetry"), in one place:
/// <list type="bullet">
/// <item>counters: append requests by outcome, refusals of submissions by reason, sweep ends and cascade ends by
/// reason;</item>
/// <item>gauges of what the node last sampled from the store and the read models (<see cref="Sample"/>): log size,
/// checkpoint size and age, each witness's lag, each projection's lag;</item>
/// <item>spans (<see cref="ActivitySource"/>) around the append path and every job tick;</item>
/// <item>one structured log line (a warning) for every decision of the ledger to deny or halt: execution, reason,
/// position and what decided it.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed partial class LedgerTelemetry : IDisposable
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Ledger";

    /// <summary>Where spans of the append path and the jobs come from.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _appends;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _sweepEnds;
    private readonly Counter<long> _cascadeEnds;
    private readonly Counter<long> _jobTicks;
    private readonly Counter<long> _followPulls;
    private readonly Counter<long> _followEnds;
    private readonly ConcurrentDictionary<string, long> _witnessLag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _projectionLag = new(StringComparer.Ordinal);
    private readonly ILogger<LedgerTelemetry> _log;
    private readonly TimeProvider _time;
    private LogSample? _sample;

    public LedgerTelemetry(IMeterFactory meters, TimeProvider time, ILogger<LedgerTelemetry> log)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        _log = log;
        _meter = meters.Create(Name);
        _appends = _meter.CreateCounter<long>("ledger.appends", "{request}", "Append requests answered, by outcome");
        _refusals = _meter.CreateCounter<long>("ledger.refusals", "{refusal}", "Submissions the ledger refused (denied or halted the execution), by reason");
        _sweepEnds = _meter.CreateCounter<long>("ledger.sweep.ends", "{execution}", "Executions the silence sweep denied or halted, by reason");
        _cascadeEnds = _meter.CreateCounter<long>("ledger.cascade.ends", "{execution}", "Descendants a cascade denied or halted, by reason");
        _jobTicks = _meter.CreateCounter<long>("ledger.job.ticks", "{tick}", "Job ticks this node ran, by job and result");
        _followPulls = _meter.CreateCounter<long>(
            "ledger.follow.pulls", "{attestation}", "Attestations of remote parents the follow job asked peers for, by peer and result (verified, failed, split-view)");
        _followEnds = _meter.CreateCounter<long>("ledger.follow.ends", "{execution}", "Executions the follow job ended because of a remote parent, by reason and peer");
        _meter.CreateObservableGauge("ledger.log.size", () => Observe(s => s.TreeSize), "{entry}", "Entries in the log (last sample)");
        _meter.CreateObservableGauge("ledger.checkpoint.size", () => Observe(s => s.CheckpointSize), "{entry}", "Size of the latest signed checkpoint (last sample)");
        _meter.CreateObservableGauge("ledger.checkpoint.age", ObserveCheckpointAge, "s", "Seconds since the latest checkpoint was signed");
        _meter.CreateObservableGauge(
            "ledger.checkpoint.behind", () => Observe(s => s.TreeSize - s.CheckpointSize), "{entry}", "Entries not yet covered by a signed checkpoint (last sample)");
        _meter.CreateObservableGauge("ledger.witness.lag", () => Lags(_witnessLag, "witness"), "{entry}", "Entries between the latest checkpoint and the largest one each witness cosigned");
        _meter.CreateObservableGauge("ledger.projection.lag", () => Lags(_projectionLag, "projection"), "{entry}", "Entries of the log each read model has not projected yet");
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>An append request answered with <paramref name="outcome"/> (<c>created</c>, <c>refused</c>, ...).</summary>
    public void Appended(string outcome) => _appends.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The ledger refused a submission: it denied or halted <paramref name="execution"/> at <paramref name="position"/>.</summary>
    public void Refused(ExecutionId execution, Reason reason, LedgerEntry end, string rejectedEventId)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(end);
        _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason.Code));
        LogRefused(_log, execution.Value, end.Type, reason.Code, end.Position, rejectedEventId);
    }

    /// <summary>The silence sweep ended <paramref name="execution"/> at <paramref name="position"/>.</summary>
    public void Swept(ExecutionId execution, Reason reason, LedgerEntry end)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(end);
        _sweepEnds.Add(1, new KeyValuePair<string, object?>("reason", reason.Code));
        LogSwept(_log, execution.Value, end.Type, reason.Code, end.Position);
    }

    /// <summary>A cascade from <paramref name="ended"/> ended its descendant <paramref name="execution"/> at <paramref name="position"/>.</summary>
    public void Cascaded(ExecutionId execution, Reason reason, LedgerEntry end, ExecutionId ended)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(end);
        _cascadeEnds.Add(1, new KeyValuePair<string, object?>("reason", reason.Code));
        LogCascaded(_log, execution.Value, end.Type, reason.Code, end.Position, ended.Value);
    }

    /// <summary>The follow job asked <paramref name="peer"/> for an attestation: <c>verified</c>, <c>failed</c>, <c>split-view</c> or <c>not-a-peer</c>.</summary>
    public void Pulled(string peer, string result) =>
        _followPulls.Add(1, new KeyValuePair<string, object?>("peer", peer), new KeyValuePair<string, object?>("result", result));

    /// <summary>The follow job ended an execution whose remote parent is on <paramref name="peer"/>.</summary>
    public void Followed(Reason reason, string peer)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _followEnds.Add(1, new KeyValuePair<string, object?>("reason", reason.Code), new KeyValuePair<string, object?>("peer", peer));
    }

    /// <summary>A job tick ended (<paramref name="failed"/> or not).</summary>
    public void Ticked(string job, bool failed) =>
        _jobTicks.Add(1, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("result", failed ? "failed" : "ok"));

    /// <summary>What the node last read from the store: the gauges report it until the next sample.</summary>
    public void Sample(long treeSize, long checkpointSize, DateTimeOffset? checkpointSignedAt) =>
        Volatile.Write(ref _sample, new LogSample(treeSize, checkpointSize, checkpointSignedAt));

    /// <summary>A witness's lag behind the latest checkpoint, as last sampled.</summary>
    public void SampleWitness(string witness, long lag) => _witnessLag[witness] = lag;

    /// <summary>A read model's lag behind the log, as last sampled.</summary>
    public void SampleProjection(string projection, long lag) => _projectionLag[projection] = lag;

    private IEnumerable<Measurement<long>> Observe(Func<LogSample, long> value) =>
        Volatile.Read(ref _sample) is { } sample ? [new Measurement<long>(value(sample))] : [];

    private IEnumerable<Measurement<double>> ObserveCheckpointAge() =>
        Volatile.Read(ref _sample) is { CheckpointSignedAt: { } at }
            ? [new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - at).TotalSeconds))]
            : [];

    private static IEnumerable<Measurement<long>> Lags(ConcurrentDictionary<string, long> lags, string tag) =>
        [.. lags.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>(tag, l.Key)))];

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning,
        Message = "Refused a submission: {Execution} {Decision} with {Reason} at position {Position} (rejected event {EventId})")]
    private static partial void LogRefused(ILogger logger, string execution, string decision, string reason, long position, string eventId);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Silence sweep: {Execution} {Decision} with {Reason} at position {Position}")]
    private static partial void LogSwept(ILogger logger, string execution, string decision, string reason, long position);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning,
        Message = "Cascade: {Execution} {Decision} with {Reason} at position {Position} (its ancestor {Ended} ended)")]
    private static partial void LogCascaded(ILogger logger, string execution, string decision, string reason, long position, string ended);

    private sealed record LogSample(long TreeSize, long CheckpointSize, DateTimeOffset? CheckpointSignedAt);
}
