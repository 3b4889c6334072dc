using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Bench;

/// <summary>
/// Running executions written straight to the store (not over HTTP): one <see cref="IEventStore.AppendAsync"/> per
/// execution with its five lifecycle events (intent, governance sync, authorization for 10 hours, runtime trust,
/// start), as the dev emitter. The store folds them into the execution record (status running, deadlines,
/// lineage edge when the intent names a parent on this ledger) like any append; no decider runs.
/// </summary>
internal static class Lifecycle
{
    public const string Domain = "aws";
    private const string Emitter = "dev";
    private const string Digest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Measurement = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly string[] Resources = ["arn:aws:lambda:eu-west-1:123456789012:function:bench"];
    private static readonly string[] Scope = ["lambda:invoke"];

    /// <summary>Starts every (execution, parent) with <paramref name="writers"/> appends in flight; parents must be running already
    /// (on this ledger, or on <paramref name="parentLedger"/> when it is given: a remote parent, as the follow job follows).</summary>
    public static async Task StartAsync(IEventStore store, IReadOnlyList<(string Execution, string? Parent)> executions, int writers = 128, string? parentLedger = null)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < executions.Count; i = Interlocked.Increment(ref next))
            {
                var (execution, parent) = executions[i];
                var stream = "execution-" + execution;
                var result = await store.AppendAsync(new AppendRequest(stream, AppendRequest.NoStream, DateTimeOffset.UtcNow, Events(parentLedger ?? store.Origin, execution, parent))).ConfigureAwait(false);
                if (result is not AppendResult.Appended)
                {
                    throw new InvalidOperationException($"Starting {execution}: {result}");
                }
            }
        }))).ConfigureAwait(false);
    }

    /// <summary>The HTTP body of one <c>execution.runtime-verified.v1</c> (1-event append) at <paramref name="version"/>.</summary>
    public static byte[] VerificationBody(string eventId, long version) => Body(version, eventId, "execution.runtime-verified.v1", new { measurement = Measurement, verdict = "ok" });

    /// <summary>The HTTP body of an emitter's <c>execution.halted.v1</c> at <paramref name="version"/>.</summary>
    public static byte[] HaltBody(string eventId, long version) => Body(version, eventId, "execution.halted.v1", new { reason = "emitter-reported", detail = "benchmark halt" });

    /// <summary>Halts a running execution over HTTP as its emitter (<see cref="HaltBody"/> at version 5).</summary>
    public static async Task HaltAsync(BenchHost host, string execution)
    {
        using var content = new ByteArrayContent(HaltBody(execution + "-halt", 5));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await host.Http.PostAsync($"v1/streams/execution-{execution}/events", content);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Halt of {execution}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static byte[] Body(long version, string eventId, string type, object data) =>
        JsonSerializer.SerializeToUtf8Bytes(new { expectedVersion = version, events = new[] { new { eventId, type, domain = Domain, data } } });

    private static ProposedEvent[] Events(string parentLedger, string execution, string? parent)
    {
        var actor = "spiffe://aws.example/ns/bench/sa/" + execution;
        var stream = "execution-" + execution;
        object?[] data =
        [
            new
            {
                executionId = execution, actor, action = "invoke", resources = Resources, requestedScope = Scope, targetDomains = new[] { Domain },
                parent = parent is null ? null : new { ledger = parentLedger, executionId = parent },
            },
            new { policyId = "bench-policy", policyDigest = Digest, syncedDomains = new[] { new { domain = Domain, policyDigest = Digest, syncedAt = Time(-1) } } },
            new { authorizationId = "authz-" + execution, issuer = Domain, grantedScope = Scope, notBefore = Time(-1), expiresAt = Time(600), artifactDigest = Digest },
            new { workload = actor, attestationType = "sev-snp", measurement = Measurement, verifier = "bench-attestor", verdict = "trusted" },
            new { runtimeNode = "node-1" },
        ];
        string[] types =
        [
            "execution.intent-declared.v1", "execution.governance-synchronized.v1", "execution.authorization-issued.v1",
            "execution.runtime-trust-established.v1", "execution.started.v1",
        ];
        return [.. types.Select((type, i) => new ProposedEvent(
            new EmitterStatement(stream, string.Create(CultureInfo.InvariantCulture, $"{execution}-{i}"), type, Domain, Emitter, null, JsonSerializer.SerializeToElement(data[i]), null),
            null))];
    }

    private static string Time(int minutes) =>
        DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
