using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ledger.Api.Tests.Infrastructure;

/// <summary>
/// The events of one execution as an emitter submits them, phase by phase (DESIGN §3), with times taken from
/// the ledger's clock so that every rule passes unless a test breaks one on purpose.
/// </summary>
public sealed class Story
{
    public const string DefaultDomain = "aws.example";

    /// <param name="executionId">The execution's id.</param>
    /// <param name="now">The ledger's time; the authorization window and the policy sync are placed around it.</param>
    /// <param name="domain">The origin (and only target) domain.</param>
    /// <param name="scope">Requested and granted scope.</param>
    /// <param name="parent">The parent's ledger origin and execution id.</param>
    /// <param name="expiresAt">When the authorization expires (a child's may not outlive its parent's); an hour from now by default.</param>
    public Story(
        string executionId, DateTimeOffset now, string domain = DefaultDomain, IReadOnlyList<string>? scope = null,
        (string Ledger, string ExecutionId)? parent = null, DateTimeOffset? expiresAt = null)
    {
        Id = executionId;
        Now = now;
        Domain = domain;
        Scope = scope ?? ["invoices:read", "reports:write"];
        Parent = parent;
        ExpiresAt = expiresAt ?? now.AddHours(1);
    }

    public string Id { get; }

    public string Stream => "execution-" + Id;

    public DateTimeOffset Now { get; }

    public string Domain { get; }

    public IReadOnlyList<string> Scope { get; }

    public (string Ledger, string ExecutionId)? Parent { get; }

    public string Actor => $"spiffe://{Domain}/billing-job";

    public static string Measurement { get; } = Digest("runtime image v1");

    public static string PolicyDigest { get; } = Digest("policy finance-v7");

    public DateTimeOffset ExpiresAt { get; }

    public static string Digest(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The append body <c>{"expectedVersion", "events"}</c>.</summary>
    public static JsonObject Body(long expectedVersion, params JsonObject[] events) =>
        new() { ["expectedVersion"] = expectedVersion, ["events"] = new JsonArray([.. events]) };

    /// <summary>One event as submitted: <c>{"eventId","type","domain","data"}</c>.</summary>
    public JsonObject Event(string eventId, string type, JsonObject data, string? domain = null) =>
        new() { ["eventId"] = eventId, ["type"] = type, ["domain"] = domain ?? Domain, ["data"] = data };

    public JsonObject Intent(IReadOnlyList<string>? requestedScope = null) => Event(Id + "-intent", "execution.intent-declared.v1", new JsonObject
    {
        ["executionId"] = Id,
        ["actor"] = Actor,
        ["action"] = "export-invoices",
        ["resources"] = Strings(["s3://invoices"]),
        ["requestedScope"] = Strings(requestedScope ?? Scope),
        ["targetDomains"] = Strings([Domain]),
        ["parent"] = Parent is { } p ? new JsonObject { ["ledger"] = p.Ledger, ["executionId"] = p.ExecutionId } : null,
    });

    public JsonObject Governance() => Event(Id + "-governance", "execution.governance-synchronized.v1", new JsonObject
    {
        ["policyId"] = "finance-v7",
        ["policyDigest"] = PolicyDigest,
        ["syncedDomains"] = new JsonArray(new JsonObject { ["domain"] = Domain, ["policyDigest"] = PolicyDigest, ["syncedAt"] = Time(Now.AddMinutes(-1)) }),
    });

    public JsonObject Authorization(IReadOnlyList<string>? grantedScope = null, DateTimeOffset? expiresAt = null) =>
        Event(Id + "-authorization", "execution.authorization-issued.v1", new JsonObject
        {
            ["authorizationId"] = "authz-" + Id,
            ["issuer"] = Domain,
            ["grantedScope"] = Strings(grantedScope ?? Scope),
            ["notBefore"] = Time(Now.AddMinutes(-1)),
            ["expiresAt"] = Time(expiresAt ?? ExpiresAt),
            ["artifactDigest"] = Digest("credential " + Id),
        });

    public JsonObject Trust() => Event(Id + "-trust", "execution.runtime-trust-established.v1", new JsonObject
    {
        ["workload"] = Actor,
        ["attestationType"] = "tpm",
        ["measurement"] = Measurement,
        ["verifier"] = "attest." + Domain,
        ["verdict"] = "trusted",
    });

    public JsonObject Start() => Event(Id + "-start", "execution.started.v1", new JsonObject { ["runtimeNode"] = "node-7" });

    public JsonObject Verified(int n = 1, string? measurement = null) => Event(
        string.Create(CultureInfo.InvariantCulture, $"{Id}-verified-{n}"), "execution.runtime-verified.v1",
        new JsonObject { ["measurement"] = measurement ?? Measurement, ["verdict"] = "ok" });

    public JsonObject Completed() => Event(Id + "-completed", "execution.completed.v1", new JsonObject
    {
        ["outcome"] = "succeeded",
        ["outputs"] = Strings([Digest("invoices.csv")]),
    });

    public JsonObject Halted(string detail = "stopped by the operator") => Event(Id + "-halted", "execution.halted.v1", new JsonObject
    {
        ["reason"] = "emitter-reported",
        ["detail"] = detail,
        ["rejected"] = null,
    });

    /// <summary>Phases 1 to 5: the execution is running.</summary>
    public JsonObject[] UpToStart() => [Intent(), Governance(), Authorization(), Trust(), Start()];

    /// <summary>Phases 1 to 6: the execution has completed.</summary>
    public JsonObject[] Complete() => [.. UpToStart(), Verified(), Completed()];

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
