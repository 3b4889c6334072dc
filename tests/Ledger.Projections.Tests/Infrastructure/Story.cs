using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Projections.Tests.Infrastructure;

/// <summary>Appends chosen events straight to a store (no rules: the projections fold whatever the log holds).</summary>
internal sealed class Story(IEventStore store)
{
    public static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static int _next;

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static string Digest(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public Task<LedgerEntry> AppendAsync(string id, IExecutionEvent @event, string domain, int minute, string? emitter = null, object? metadata = null) =>
        AppendRawAsync(ExecutionId.StreamPrefix + id, ExecutionEventCodec.TypeOf(@event), ExecutionEventCodec.ToData(@event), domain, At(minute), emitter, metadata);

    public async Task<LedgerEntry> AppendRawAsync(string stream, string type, JsonElement data, string domain, DateTimeOffset at, string? emitter = null, object? metadata = null)
    {
        var statement = new EmitterStatement(
            stream, "story-" + Interlocked.Increment(ref _next), type, domain, emitter ?? "emitter-" + domain.Split('.')[0], null, data,
            metadata is null ? null : JsonSerializer.SerializeToElement(metadata));
        var result = await store.AppendAsync(new AppendRequest(stream, AppendRequest.AnyVersion, at, [new ProposedEvent(statement, null)]));
        return result is AppendResult.Appended appended ? appended.Entries[0] : throw new InvalidOperationException(result.ToString());
    }

    /// <summary>Intent, governance, authorization (valid until <paramref name="expiresMinute"/>), trust and start at minutes start..start+4.</summary>
    public async Task RunningAsync(string id, string domain, int start, int expiresMinute, ParentRef? parent = null, object? metadata = null, IReadOnlyList<string>? targets = null)
    {
        IReadOnlyList<string> domains = targets ?? [domain];
        await AppendAsync(id, Intent(id, domain, domains, parent), domain, start, metadata: metadata);
        await AppendAsync(id, new GovernanceSynchronized("policy-1", Digest("p"), [.. domains.Select(d => new SyncedDomain(d, Digest("p"), At(start)))]), domain, start + 1);
        await AppendAsync(id, new AuthorizationIssued("authz-" + id, domain, ["read"], At(start + 2), At(expiresMinute), Digest("a")), domain, start + 2);
        await AppendAsync(id, new RuntimeTrustEstablished(Actor(domain), "tpm", Digest("m"), "attestor", TrustVerdict.Trusted), domain, start + 3);
        await AppendAsync(id, new ExecutionStarted("node-1"), domain, start + 4);
    }

    public static IntentDeclared Intent(string id, string domain, IReadOnlyList<string> targets, ParentRef? parent = null) =>
        new(ExecutionId.Parse(id), Actor(domain), "deploy", ["s3://bucket/app"], ["read", "write"], targets, parent);

    public static string Actor(string domain) => $"spiffe://{domain}/ns/jobs/sa/runner";
}
