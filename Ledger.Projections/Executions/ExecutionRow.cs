using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Executions;

/// <summary>
/// One row of <c>proj_executions</c> while a batch works on it: the domain's <see cref="ExecutionState"/>
/// (folded with <see cref="Execution.Evolve"/>) plus what the read model adds (lineage place, cloud, the
/// refusal's evidence, positions). Stored as the columns queries filter and sort on, and a <c>detail</c>
/// JSON object with the rest (fewer values per row: rows are written again by every batch touching them).
/// </summary>
internal sealed class ExecutionRow
{
    /// <summary>The detail's buffer and writer, reused by every row written on a thread (rebuilds write millions).</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _detailWriter;

    private (IReadOnlyList<string>? Targets, string? Origin, IReadOnlySet<string>? Set) _domains;

    public required string Id { get; init; }

    public required ExecutionState State { get; set; }

    public required string FirstDomain { get; init; }

    public string RootId { get; set; } = "";

    public long Depth { get; set; }

    public string? Cloud { get; set; }

    public IReadOnlyList<string> Resources { get; set; } = [];

    public RejectedEvent? Rejected { get; set; }

    public string? EndedBy { get; set; }

    public long? ProofPosition { get; set; }

    public long? ProofCheckpointSize { get; set; }

    public string? LineageDigest { get; set; }

    public long FirstPosition { get; init; }

    public long LastPosition { get; set; }

    public long StreamVersion { get; set; }

    public long EventCount { get; set; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    /// <summary>What the counts saw of this row when a batch last wrote it (null when read from the database): the next batch's before.</summary>
    public ExecutionsProjection.Snapshot? Snapshot { get; set; }

    /// <summary>The reason column: the code when denied or halted, empty otherwise (the domain count key).</summary>
    public string ReasonKey => State.Reason?.Code ?? string.Empty;

    /// <summary>A copy that a batch may change without touching this one (the state and its lists are immutable).</summary>
    public ExecutionRow Copy() => (ExecutionRow)MemberwiseClone();

    /// <summary>The domains the execution concerns: first entry's domain, origin, target domains (kept until they change).</summary>
    public IReadOnlySet<string> Domains()
    {
        var (targets, origin, set) = _domains;
        if (set is not null && ReferenceEquals(targets, State.TargetDomains) && origin == State.OriginDomain)
        {
            return set;
        }

        var domains = new SortedSet<string>(StringComparer.Ordinal) { FirstDomain };
        if (State.OriginDomain is { } o)
        {
            domains.Add(o);
        }

        domains.UnionWith(State.TargetDomains);
        _domains = (State.TargetDomains, State.OriginDomain, domains);
        return domains;
    }

    /// <summary>Writes the row's values in the column order of <see cref="ExecutionTables.Executions"/>.</summary>
    public void Write(RowWriter w)
    {
        var s = State;
        w.Text(Id);
        w.Text(s.Status.ToWireName());
        w.Text(s.Phase.ToWireName());
        w.Text(s.Reason?.Code);
        w.Text(Cloud);
        w.Text(RootId);
        w.Text(s.Parent?.ExecutionId.Value);
        w.Long(Depth);
        w.Long(CreatedAt);
        w.Long(UpdatedAt);
        w.Long(Micros.From(s.DeclaredAt));
        w.Long(Micros.From(s.StartedAt));
        w.Long(Micros.From(s.LastVerifiedAt));
        w.Long(Micros.From(s.ExpiresAt));
        w.Long(FirstPosition);
        w.Long(LastPosition);
        w.Long(s.IsProven ? 1L : 0L);
        w.Utf8Text(DetailUtf8());
    }

    /// <summary>The <c>detail</c> column's text.</summary>
    public string Detail() => Encoding.UTF8.GetString(DetailUtf8());

    /// <summary>Reads a row selected as <c>SELECT {ColumnList}</c> of <see cref="ExecutionTables.Executions"/>.</summary>
    public static ExecutionRow Read(DbDataReader r)
    {
        string? T(int i) => Sql.NullableText(r, i);
        long? L(int i) => Sql.NullableLong(r, i);
        using var document = JsonDocument.Parse(r.GetString(17));
        var d = document.RootElement;
        string? Text(string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Number(string name) => d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
        IReadOnlyList<string> List(string name) =>
            d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString()!)] : [];

        var id = r.GetString(0);
        var reason = T(3);
        var parentId = T(6);
        var outcome = Text("outcome");
        var state = new ExecutionState
        {
            Id = ExecutionId.Parse(id),
            Status = Wire.Status(r.GetString(1)),
            Phase = Wire.Phase(r.GetString(2)),
            Reason = reason is null ? null : Reason.Parse(reason),
            ReasonDetail = Text("reasonDetail"),
            OriginDomain = Text("originDomain"),
            Parent = parentId is null ? null : new ParentRef(Text("parentLedger")!, ExecutionId.Parse(parentId)),
            Actor = Text("actor"),
            Action = Text("action"),
            TargetDomains = List("targetDomains"),
            RequestedScope = List("requestedScope"),
            PolicyDigest = Text("policyDigest"),
            GovernanceSyncedAt = Micros.To(Number("governanceSyncedAt")),
            AuthorizationId = Text("authorizationId"),
            Issuer = Text("issuer"),
            GrantedScope = List("grantedScope"),
            NotBefore = Micros.To(Number("notBefore")),
            ExpiresAt = Micros.To(L(13)),
            Workload = Text("workload"),
            Measurement = Text("measurement"),
            RuntimeNode = Text("runtimeNode"),
            DeclaredAt = Micros.To(L(10)),
            StartedAt = Micros.To(L(11)),
            LastVerifiedAt = Micros.To(L(12)),
            VerificationCount = checked((int)(Number("verificationCount") ?? 0)),
            Outcome = outcome is null ? null : Wire.Outcome(outcome),
            EndedAt = Micros.To(Number("endedAt")),
            IsProven = r.GetInt64(16) != 0,
        };
        return new ExecutionRow
        {
            Id = id,
            State = state,
            Rejected = d.TryGetProperty("rejected", out var rejected)
                ? new RejectedEvent(rejected.GetProperty("eventId").GetString()!, rejected.GetProperty("type").GetString()!, rejected.GetProperty("digest").GetString()!)
                : null,
            EndedBy = Text("endedBy"),
            FirstDomain = Text("firstDomain")!,
            Cloud = T(4),
            RootId = r.GetString(5),
            Depth = r.GetInt64(7),
            Resources = List("resources"),
            ProofPosition = Number("proofPosition"),
            ProofCheckpointSize = Number("proofCheckpointSize"),
            LineageDigest = Text("lineageDigest"),
            FirstPosition = r.GetInt64(14),
            LastPosition = r.GetInt64(15),
            StreamVersion = Number("streamVersion") ?? 0,
            EventCount = Number("eventCount") ?? 0,
            CreatedAt = r.GetInt64(8),
            UpdatedAt = r.GetInt64(9),
        };
    }

    /// <summary>
    /// The <c>detail</c> column as UTF-8: every other member, absent ones left out, in a fixed order. The bytes are the
    /// thread's reused buffer, valid until the next call on the same thread.
    /// </summary>
    private ReadOnlySpan<byte> DetailUtf8()
    {
        var s = State;
        if (_detailWriter is not { } reused)
        {
            var created = new ArrayBufferWriter<byte>(1024);
            _detailWriter = reused = (created, new Utf8JsonWriter(created));
        }

        var (buffer, w) = reused;
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("firstDomain", FirstDomain);
        Text(w, "originDomain", s.OriginDomain);
        Text(w, "parentLedger", s.Parent?.Ledger);
        Text(w, "reasonDetail", s.ReasonDetail);
        if (Rejected is { } rejected)
        {
            w.WriteStartObject("rejected");
            w.WriteString("eventId", rejected.EventId);
            w.WriteString("type", rejected.Type);
            w.WriteString("digest", rejected.Digest);
            w.WriteEndObject();
        }

        Text(w, "endedBy", EndedBy);
        Text(w, "actor", s.Actor);
        Text(w, "action", s.Action);
        List(w, "resources", Resources);
        List(w, "targetDomains", s.TargetDomains);
        List(w, "requestedScope", s.RequestedScope);
        Text(w, "policyDigest", s.PolicyDigest);
        Number(w, "governanceSyncedAt", Micros.From(s.GovernanceSyncedAt));
        Text(w, "authorizationId", s.AuthorizationId);
        Text(w, "issuer", s.Issuer);
        List(w, "grantedScope", s.GrantedScope);
        Number(w, "notBefore", Micros.From(s.NotBefore));
        Text(w, "workload", s.Workload);
        Text(w, "measurement", s.Measurement);
        Text(w, "runtimeNode", s.RuntimeNode);
        w.WriteNumber("verificationCount", s.VerificationCount);
        Text(w, "outcome", s.Outcome is { } o ? Wire.Outcome(o) : null);
        Number(w, "endedAt", Micros.From(s.EndedAt));
        Number(w, "proofPosition", ProofPosition);
        Number(w, "proofCheckpointSize", ProofCheckpointSize);
        Text(w, "lineageDigest", LineageDigest);
        w.WriteNumber("streamVersion", StreamVersion);
        w.WriteNumber("eventCount", EventCount);
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan;
    }

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    /// <summary>A list as a JSON array of strings (what <see cref="Wire.List(IReadOnlyList{string})"/> writes), left out when empty.</summary>
    private static void List(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
