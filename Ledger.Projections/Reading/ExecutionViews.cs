using System.Data.Common;
using Ledger.Domain.Executions;
using Ledger.Projections.Executions;
using Ledger.Projections.Storage;

namespace Ledger.Projections.Reading;

/// <summary>Maps read-model rows to the public views.</summary>
internal static class ExecutionViews
{
    public static ExecutionSummary Summary(ExecutionRow row)
    {
        var s = row.State;
        return new ExecutionSummary
        {
            ExecutionId = row.Id,
            Status = s.Status.ToWireName(),
            Phase = s.Phase.ToWireName(),
            Reason = s.Reason?.Code,
            OriginDomain = s.OriginDomain,
            Cloud = row.Cloud,
            ParentLedger = s.Parent?.Ledger,
            ParentId = s.Parent?.ExecutionId.Value,
            RootId = row.RootId,
            Depth = row.Depth,
            Actor = s.Actor,
            Action = s.Action,
            CreatedAt = Micros.To(row.CreatedAt),
            UpdatedAt = Micros.To(row.UpdatedAt),
            EndedAt = s.EndedAt,
            ExpiresAt = s.ExpiresAt,
            FirstPosition = row.FirstPosition,
            LastPosition = row.LastPosition,
            Proven = s.IsProven,
        };
    }

    public static ExecutionDetail Detail(ExecutionRow row, IReadOnlyList<ExecutionEventView> events)
    {
        var s = row.State;
        var summary = Summary(row);
        return new ExecutionDetail
        {
            ExecutionId = summary.ExecutionId,
            Status = summary.Status,
            Phase = summary.Phase,
            Reason = summary.Reason,
            OriginDomain = summary.OriginDomain,
            Cloud = summary.Cloud,
            ParentLedger = summary.ParentLedger,
            ParentId = summary.ParentId,
            RootId = summary.RootId,
            Depth = summary.Depth,
            Actor = summary.Actor,
            Action = summary.Action,
            CreatedAt = summary.CreatedAt,
            UpdatedAt = summary.UpdatedAt,
            EndedAt = summary.EndedAt,
            ExpiresAt = summary.ExpiresAt,
            FirstPosition = summary.FirstPosition,
            LastPosition = summary.LastPosition,
            Proven = summary.Proven,
            ReasonDetail = s.ReasonDetail,
            Rejected = row.Rejected is { } r ? new RejectedView(r.EventId, r.Type, r.Digest) : null,
            EndedBy = row.EndedBy,
            FirstDomain = row.FirstDomain,
            TargetDomains = s.TargetDomains,
            Resources = row.Resources,
            RequestedScope = s.RequestedScope,
            PolicyDigest = s.PolicyDigest,
            GovernanceSyncedAt = s.GovernanceSyncedAt,
            AuthorizationId = s.AuthorizationId,
            Issuer = s.Issuer,
            GrantedScope = s.GrantedScope,
            NotBefore = s.NotBefore,
            Workload = s.Workload,
            Measurement = s.Measurement,
            RuntimeNode = s.RuntimeNode,
            DeclaredAt = s.DeclaredAt,
            StartedAt = s.StartedAt,
            LastVerifiedAt = s.LastVerifiedAt,
            VerificationCount = s.VerificationCount,
            Outcome = s.Outcome is { } o ? Wire.Outcome(o) : null,
            ProofPosition = row.ProofPosition,
            ProofCheckpointSize = row.ProofCheckpointSize,
            LineageDigest = row.LineageDigest,
            StreamVersion = row.StreamVersion,
            Events = events,
        };
    }

    /// <summary>Reads <c>position, execution_id, stream_version, type, emitter, domain, recorded_at, leaf_hash</c>.</summary>
    public static (string ExecutionId, ExecutionEventView Event, byte[] LeafHash) Event(DbDataReader r)
    {
        var leafHash = Sql.Bytes(r, 7);
        return (r.GetString(1), new ExecutionEventView(
            r.GetInt64(0), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5), Micros.To(r.GetInt64(6)), Convert.ToBase64String(leafHash)), leafHash);
    }

    public const string EventColumns = "position, execution_id, stream_version, type, emitter, domain, recorded_at, leaf_hash";
}
