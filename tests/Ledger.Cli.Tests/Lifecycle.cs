using System.Globalization;
using System.Text.Json;

namespace Ledger.Cli.Tests;

/// <summary>Valid lifecycle events of one execution (DESIGN §3, docs/FORMAT.md §6) as JSON objects for event files.</summary>
public sealed class Lifecycle(string executionId, string domain = "aws")
{
    public const string Measurement = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Digest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly string[] Resources = ["bucket/a"];
    private static readonly string[] RequestedScope = ["s3:read", "s3:write"];
    private static readonly string[] GrantedScope = ["s3:read"];
    private readonly string _actor = $"spiffe://{domain}.example/ns/jobs/sa/runner";

    public string Stream => "execution-" + executionId;

    public string Id(string suffix) => executionId + "-" + suffix;

    public object Intent() => Event("intent", "execution.intent-declared.v1", new
    {
        executionId,
        actor = _actor,
        action = "deploy",
        resources = Resources,
        requestedScope = RequestedScope,
        targetDomains = new[] { domain },
        parent = (object?)null,
    });

    public object Governance() => Event("governance", "execution.governance-synchronized.v1", new
    {
        policyId = "policy-1",
        policyDigest = Digest,
        syncedDomains = new[] { new { domain, policyDigest = Digest, syncedAt = Time(-1) } },
    });

    public object Authorization() => Event("authorization", "execution.authorization-issued.v1", new
    {
        authorizationId = "authz-1",
        issuer = domain,
        grantedScope = GrantedScope,
        notBefore = Time(-1),
        expiresAt = Time(60),
        artifactDigest = Digest,
    });

    public object RuntimeTrust() => Event("trust", "execution.runtime-trust-established.v1", new
    {
        workload = _actor,
        attestationType = "tpm",
        measurement = Measurement,
        verifier = "attestor",
        verdict = "trusted",
    });

    public object Started() => Event("start", "execution.started.v1", new { runtimeNode = "node-1" });

    public object Verified(int n) => Event("verified-" + n.ToString(CultureInfo.InvariantCulture), "execution.runtime-verified.v1", new { measurement = Measurement, verdict = "ok" });

    public object[] UpToAuthorization() => [Intent(), Governance(), Authorization()];

    public static string Body(long? expectedVersion, params object[] events) =>
        JsonSerializer.Serialize(expectedVersion is { } v ? new { expectedVersion = v, events } : (object)new { events });

    public static string Ndjson(params object[] events) => string.Join('\n', events.Select(e => JsonSerializer.Serialize(e))) + "\n";

    private object Event(string suffix, string type, object data) => new { eventId = Id(suffix), type, domain, data };

    private static string Time(int minutes) =>
        DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
