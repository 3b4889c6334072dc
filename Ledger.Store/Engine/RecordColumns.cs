using Ledger.Domain.Executions;

namespace Ledger.Store.Engine;

/// <summary>
/// How an <see cref="ExecutionRecord"/> maps to the executions table's columns, shared by both engines. The
/// deadline columns hold the instants the silence sweep compares (UTC ticks), so that the sweep queries an
/// index instead of reading every open execution.
/// </summary>
internal static class RecordColumns
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Select = "execution_id, stream_version, last_position, last_leaf_hash, parent_id, root_id, depth, state, first_position";

    /// <summary>Statuses (as numbers) of executions declared but not started.</summary>
    public const int FirstPreStart = (int)ExecutionStatus.Declared;

    public const int LastPreStart = (int)ExecutionStatus.Trusted;

    public const int Running = (int)ExecutionStatus.Running;

    /// <summary>Completed, denied and halted are numbered from here up.</summary>
    public const int FirstTerminal = (int)ExecutionStatus.Completed;

    public static int Status(ExecutionRecord r) => (int)r.State.Status;

    public static long? DeclaredAt(ExecutionRecord r) => r.State.DeclaredAt?.UtcTicks;

    /// <summary>The last verification, or the start: the verification deadline is this plus maxVerificationInterval.</summary>
    public static long? VerifyFrom(ExecutionRecord r) => (r.State.LastVerifiedAt ?? r.State.StartedAt)?.UtcTicks;

    public static long? ExpiresAt(ExecutionRecord r) => r.State.ExpiresAt?.UtcTicks;

    /// <summary>The remote parent's ledger (origin), or null.</summary>
    public static string? RemoteOrigin(ExecutionRecord r) => r.RemoteParent?.Ledger;

    /// <summary>The remote parent's execution id, or null.</summary>
    public static string? RemoteParentId(ExecutionRecord r) => r.RemoteParent?.ExecutionId.Value;

    public static bool Proven(ExecutionRecord r) => r.State.IsProven;

    public static byte[] State(ExecutionRecord r) => ExecutionStateCodec.Write(r.State);

    public static ExecutionRecord Read(long version, long lastPosition, byte[] leafHash, string? parent, string root, int depth, byte[] state, long firstPosition) =>
        new(
            ExecutionStateCodec.Read(state),
            version,
            lastPosition,
            leafHash,
            parent is null ? null : ExecutionId.Parse(parent),
            ExecutionId.Parse(root),
            depth)
        {
            FirstPosition = firstPosition,
        };

    /// <summary><paramref name="now"/> − <paramref name="span"/> in ticks, saturating instead of wrapping.</summary>
    public static long Before(long now, long span) => span <= 0 ? now : (now < long.MinValue + span ? long.MinValue : now - span);
}
