namespace Ledger.Application.Federation;

/// <summary>Fetches from a peer ledger (the host adapts it to HTTP, with <c>Ledger:PeerTimeout</c>).</summary>
public interface IPeerTransport
{
    /// <summary>GETs <paramref name="url"/>; the answer whatever its status. Throws when no answer came (down, timeout).</summary>
    public Task<PeerReply> GetAsync(Uri url, CancellationToken ct);
}

/// <summary>A peer's answer: the status code and the body.</summary>
public sealed record PeerReply(int Status, string Body);
