namespace Ledger.Application.Federation;

/// <summary>
/// One peer ledger (section <c>Ledger:Peers:{i}</c>, DESIGN §8.2): whose executions may be parents of executions here.
/// Keys come only from here, never from a peer's answer.
/// </summary>
public sealed class PeerOptions
{
    /// <summary>The peer log's origin (its checkpoint origin line, and the <c>ledger</c> a child's parent names).</summary>
    public string? Origin { get; set; }

    /// <summary>The peer's log verifier key (vkey, <c>name+hex(id)+base64(type ‖ key)</c>).</summary>
    public string? Key { get; set; }

    /// <summary>The peer's base URL (absolute http or https), e.g. <c>http://127.0.0.1:5182</c>.</summary>
    public string? Url { get; set; }

    /// <summary>Path of the peer's C2SP tlog-policy file: the witnesses that must cosign its checkpoints. It must list
    /// <see cref="Key"/> on a <c>log</c> line. Absent: the peer's own signature suffices (<c>quorum none</c>).</summary>
    public string? Policy { get; set; }

    /// <summary>The domains the peer is the home ledger of (for governance synchronization).</summary>
    public List<string> HomeDomains { get; set; } = [];
}
