using Ledger.Projections.Storage;

namespace Ledger.Projections.Executions;

/// <summary>The tables of the <c>executions</c> projection (docs/PROJECTIONS.md describes every column).</summary>
internal static class ExecutionTables
{
    private const ColumnKind L = ColumnKind.Long;
    private const ColumnKind T = ColumnKind.Text;

    /// <summary>
    /// One row per execution stream: the columns queries filter and sort on, and <c>detail</c>, a JSON object with
    /// the rest of its folded state (docs/PROJECTIONS.md).
    /// </summary>
    public static TableSpec Executions { get; } = new(
        "executions",
        [
            new("execution_id", T), new("status", T), new("phase", T), new("reason", T, true), new("cloud", T, true),
            new("root_id", T), new("parent_id", T, true), new("depth", L),
            new("created_at", L), new("updated_at", L), new("declared_at", L, true), new("started_at", L, true),
            new("last_verified_at", L, true), new("expires_at", L, true),
            new("first_position", L), new("last_position", L), new("proven", L), new("detail", T),
        ],
        ["execution_id"],
        [
            new("by_first_position", "first_position"),
            new("by_status", "status, first_position"),
            new("by_root", "root_id, first_position"),
            // The compliance dashboard counts executions per cloud and status from this index alone.
            new("by_cloud_status", "cloud, status"),
        ]);

    /// <summary>One row per entry of an execution stream, proofs included.</summary>
    public static TableSpec Events { get; } = new(
        "execution_events",
        [
            new("position", L), new("execution_id", T), new("root_id", T), new("stream_version", L), new("type", T),
            new("emitter", T), new("domain", T), new("recorded_at", L), new("leaf_hash", ColumnKind.Bytes),
        ],
        ["position"],
        [new("by_root", "root_id, execution_id, position")]);

    /// <summary>Which domains an execution concerns: its first entry's domain, its origin and its target domains.</summary>
    public static TableSpec Domains { get; } = new(
        "execution_domains",
        [new("domain", T), new("execution_id", T)],
        ["domain", "execution_id"],
        []);

    /// <summary>Executions per domain, status and reason (reason empty unless denied or halted).</summary>
    public static TableSpec DomainCounts { get; } = new(
        "domain_counts",
        [new("domain", T), new("status", T), new("reason", T), new("executions", L)],
        ["domain", "status", "reason"],
        []);

    /// <summary>
    /// Executions per scope, cloud and status, what the compliance dashboard counts. <c>domain</c> is empty for the
    /// all-domains scope (every execution once) and otherwise one of the domains the execution concerns; <c>cloud</c>
    /// is empty when the execution has none. Rows at zero are removed.
    /// </summary>
    public static TableSpec ScopeCounts { get; } = new(
        "scope_counts",
        [new("domain", T), new("cloud", T), new("status", T), new("executions", L)],
        ["domain", "cloud", "status"],
        []);

    /// <summary>
    /// Denied and halted executions per scope (as in <see cref="ScopeCounts"/>), hour of the refusal (its terminal
    /// entry's <c>recordedAt</c> floored to the hour, microseconds since the Unix epoch), cloud, status and reason: the
    /// dashboard's refusals over time, read as a range of hours. Rows at zero are removed.
    /// </summary>
    public static TableSpec RefusalHours { get; } = new(
        "refusal_hours",
        [new("domain", T), new("hour", L), new("cloud", T), new("status", T), new("reason", T), new("executions", L)],
        ["domain", "hour", "cloud", "status", "reason"],
        []);

    /// <summary>
    /// Per peer ledger, the <c>federation.parent-attested.v1</c> entries this ledger recorded (each one an attestation
    /// it verified): how many, and the latest one's position, recorded time, statement time, execution and checkpoint size.
    /// </summary>
    public static TableSpec PeerAttestations { get; } = new(
        "peer_attestations",
        [
            new("ledger", T), new("attestations", L), new("last_position", L), new("last_recorded_at", L), new("last_attested_at", L),
            new("last_execution_id", T), new("last_checkpoint_size", L),
        ],
        ["ledger"],
        []);

    /// <summary>One row per lineage tree (keyed by its root): sizes and positions, for listing and for the proof job.</summary>
    public static TableSpec Lineages { get; } = new(
        "lineages",
        [
            new("root_id", T), new("nodes", L), new("open_nodes", L), new("terminal_nodes", L), new("proven_nodes", L),
            new("max_depth", L), new("first_position", L), new("last_position", L),
        ],
        ["root_id"],
        [new("provable", "first_position", "open_nodes = 0 AND proven_nodes < terminal_nodes")]);

    /// <summary>The ledger parameters in force (one row, id 1, once <c>ledger.policy-configured.v1</c> was seen); durations in microseconds.</summary>
    public static TableSpec Parameters { get; } = new(
        "parameters",
        [
            new("id", L), new("max_policy_age", L), new("max_authorization_ttl", L), new("max_verification_interval", L),
            new("intent_ttl", L), new("position", L),
        ],
        ["id"],
        []);

    public static IReadOnlyList<TableSpec> All { get; } = [Executions, Events, Domains, DomainCounts, ScopeCounts, RefusalHours, PeerAttestations, Lineages, Parameters];
}
