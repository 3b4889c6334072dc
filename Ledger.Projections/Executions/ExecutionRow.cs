using System.Data.Common;
using Ledger.Domain.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Executions;

/// <summary>
/// One row of <c>proj_executions</c> while a batch works on it: the domain's <see cref="ExecutionState"/>
/// (folded with <see cref="Execution.Evolve"/>) plus what the read model adds (lineage place, cloud, the
/// refusal's evidence, positions).
/// </summary>
internal sealed class ExecutionRow
{
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

    /// <summary>A copy that a batch may change without touching this one (the state and its lists are immutable).</summary>
    public ExecutionRow Copy() => (ExecutionRow)MemberwiseClone();

    /// <summary>The domains the execution concerns: first entry's domain, origin, target domains.</summary>
    public IReadOnlySet<string> Domains()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal) { FirstDomain };
        if (State.OriginDomain is { } origin)
        {
            set.Add(origin);
        }

        set.UnionWith(State.TargetDomains);
        return set;
    }

    /// <summary>The reason column: the code when denied or halted, empty otherwise (the domain count key).</summary>
    public string ReasonKey => State.Reason?.Code ?? string.Empty;

    private readonly ListText _resources = new();
    private readonly ListText _targets = new();
    private readonly ListText _requested = new();
    private readonly ListText _granted = new();

    public object?[] ToValues()
    {
        var s = State;
        return
        [
            Id, s.Status.ToWireName(), s.Phase.ToWireName(), s.Reason?.Code, s.ReasonDetail,
            Rejected?.EventId, Rejected?.Type, Rejected?.Digest, EndedBy,
            FirstDomain, s.OriginDomain, Cloud,
            s.Parent?.Ledger, s.Parent?.ExecutionId.Value, RootId, Depth,
            s.Actor, s.Action, _resources.Of(Resources), _targets.Of(s.TargetDomains), _requested.Of(s.RequestedScope),
            s.PolicyDigest, Micros.From(s.GovernanceSyncedAt),
            s.AuthorizationId, s.Issuer, _granted.Of(s.GrantedScope), Micros.From(s.NotBefore), Micros.From(s.ExpiresAt),
            s.Workload, s.Measurement, s.RuntimeNode,
            Micros.From(s.DeclaredAt), Micros.From(s.StartedAt), Micros.From(s.LastVerifiedAt), (long)s.VerificationCount,
            s.Outcome is { } o ? Wire.Outcome(o) : null, Micros.From(s.EndedAt),
            s.IsProven ? 1L : 0L, ProofPosition, ProofCheckpointSize, LineageDigest,
            FirstPosition, LastPosition, StreamVersion, EventCount,
            CreatedAt, UpdatedAt,
        ];
    }

    /// <summary>Reads a row selected as <c>SELECT {ColumnList}</c> of <see cref="ExecutionTables.Executions"/>.</summary>
    public static ExecutionRow Read(DbDataReader r)
    {
        string? T(int i) => Sql.NullableText(r, i);
        long? L(int i) => Sql.NullableLong(r, i);
        var id = r.GetString(0);
        var reason = T(3);
        var parentId = T(13);
        var outcome = T(35);
        var state = new ExecutionState
        {
            Id = ExecutionId.Parse(id),
            Status = Wire.Status(r.GetString(1)),
            Phase = Wire.Phase(r.GetString(2)),
            Reason = reason is null ? null : Reason.Parse(reason),
            ReasonDetail = T(4),
            OriginDomain = T(10),
            Parent = parentId is null ? null : new ParentRef(T(12)!, ExecutionId.Parse(parentId)),
            Actor = T(16),
            Action = T(17),
            TargetDomains = Wire.List(r.GetString(19)),
            RequestedScope = Wire.List(r.GetString(20)),
            PolicyDigest = T(21),
            GovernanceSyncedAt = Micros.To(L(22)),
            AuthorizationId = T(23),
            Issuer = T(24),
            GrantedScope = Wire.List(r.GetString(25)),
            NotBefore = Micros.To(L(26)),
            ExpiresAt = Micros.To(L(27)),
            Workload = T(28),
            Measurement = T(29),
            RuntimeNode = T(30),
            DeclaredAt = Micros.To(L(31)),
            StartedAt = Micros.To(L(32)),
            LastVerifiedAt = Micros.To(L(33)),
            VerificationCount = checked((int)r.GetInt64(34)),
            Outcome = outcome is null ? null : Wire.Outcome(outcome),
            EndedAt = Micros.To(L(36)),
            IsProven = r.GetInt64(37) != 0,
        };
        var rejectedId = T(5);
        return new ExecutionRow
        {
            Id = id,
            State = state,
            Rejected = rejectedId is null ? null : new RejectedEvent(rejectedId, T(6)!, T(7)!),
            EndedBy = T(8),
            FirstDomain = r.GetString(9),
            Cloud = T(11),
            RootId = r.GetString(14),
            Depth = r.GetInt64(15),
            Resources = Wire.List(r.GetString(18)),
            ProofPosition = L(38),
            ProofCheckpointSize = L(39),
            LineageDigest = T(40),
            FirstPosition = r.GetInt64(41),
            LastPosition = r.GetInt64(42),
            StreamVersion = r.GetInt64(43),
            EventCount = r.GetInt64(44),
            CreatedAt = r.GetInt64(45),
            UpdatedAt = r.GetInt64(46),
        };
    }

    /// <summary>
    /// The JSON text of a list column, kept until the list changes: lists are set once by their phase's event
    /// and rows are written again with every batch that touches them.
    /// </summary>
    private sealed class ListText
    {
        private IReadOnlyList<string>? _list;
        private string _text = "[]";

        public string Of(IReadOnlyList<string> list)
        {
            if (!ReferenceEquals(list, _list))
            {
                _text = Wire.List(list);
                _list = list;
            }

            return _text;
        }
    }
}
