using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Bench;

internal static partial class ApiBench
{
    /// <summary>Default events per execution before a client starts its next one (5 lifecycle events, then runtime verifications).</summary>
    private const int DefaultEventsPerExecution = 64;

    private const string Domain = "aws";
    private const string Emitter = "dev";
    private const string Digest = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Measurement = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static readonly string[] Resources = ["arn:aws:lambda:eu-west-1:123456789012:function:bench"];
    private static readonly string[] RequestedScope = ["lambda:invoke", "s3:read"];
    private static readonly string[] GrantedScope = ["lambda:invoke"];

    /// <summary>
    /// One client's position in its own executions: each execution is declared, synced, authorized, trusted and
    /// started, then verified until it has <c>eventsPerExecution</c> events; then the next one begins.
    /// </summary>
    private sealed class ClientCursor(string run, int client, int eventsPerAppend, int eventsPerExecution)
    {
        private int _execution;

        public long Version { get; private set; }

        public string ExecutionId => string.Create(CultureInfo.InvariantCulture, $"{run}-c{client}-x{_execution}");

        public string Stream => "execution-" + ExecutionId;

        /// <summary>The next append's events as (index in the execution, type, data).</summary>
        public IEnumerable<(int Index, string Type, object Data)> NextEvents()
        {
            for (var i = 0; i < eventsPerAppend; i++)
            {
                var index = checked((int)Version + i);
                yield return (index, TypeAt(index), DataAt(index));
            }
        }

        public string EventId(int index) => string.Create(CultureInfo.InvariantCulture, $"{ExecutionId}-{index}");

        public void Advance()
        {
            Version += eventsPerAppend;
            if (Version + eventsPerAppend > eventsPerExecution)
            {
                _execution++;
                Version = 0;
            }
        }

        private static string TypeAt(int index) => index switch
        {
            0 => "execution.intent-declared.v1",
            1 => "execution.governance-synchronized.v1",
            2 => "execution.authorization-issued.v1",
            3 => "execution.runtime-trust-established.v1",
            4 => "execution.started.v1",
            _ => "execution.runtime-verified.v1",
        };

        private object DataAt(int index)
        {
            var actor = string.Create(CultureInfo.InvariantCulture, $"spiffe://aws.example/ns/bench/sa/client-{client}");
            return index switch
            {
                0 => new
                {
                    executionId = ExecutionId, actor, action = "invoke", resources = Resources, requestedScope = RequestedScope,
                    targetDomains = new[] { Domain }, parent = (object?)null,
                },
                1 => new { policyId = "bench-policy", policyDigest = Digest, syncedDomains = new[] { new { domain = Domain, policyDigest = Digest, syncedAt = Time(-1) } } },
                2 => new { authorizationId = "authz-" + ExecutionId, issuer = Domain, grantedScope = GrantedScope, notBefore = Time(-1), expiresAt = Time(600), artifactDigest = Digest },
                3 => new { workload = actor, attestationType = "sev-snp", measurement = Measurement, verifier = "bench-attestor", verdict = "trusted" },
                4 => new { runtimeNode = "node-1" },
                _ => new { measurement = Measurement, verdict = "ok" },
            };
        }

        private static string Time(int minutes) =>
            DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>The HTTP body of the cursor's next append (exact expected version).</summary>
    private static byte[] HttpBody(ClientCursor cursor)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("expectedVersion", cursor.Version);
            writer.WriteStartArray("events");
            foreach (var (index, type, data) in cursor.NextEvents())
            {
                writer.WriteStartObject();
                writer.WriteString("eventId", cursor.EventId(index));
                writer.WriteString("type", type);
                writer.WriteString("domain", Domain);
                writer.WritePropertyName("data");
                JsonSerializer.Serialize(writer, data);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The same events as the store receives them from the API: the emitter statements, unsigned.</summary>
    private static ProposedEvent[] StoreEvents(ClientCursor cursor) =>
        [.. cursor.NextEvents().Select(e => new ProposedEvent(
            new EmitterStatement(cursor.Stream, cursor.EventId(e.Index), e.Type, Domain, Emitter, null, JsonSerializer.SerializeToElement(e.Data), null),
            null))];
}
