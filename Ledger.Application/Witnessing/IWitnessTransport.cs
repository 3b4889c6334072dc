namespace Ledger.Application.Witnessing;

/// <summary>Sends one c2sp.org/tlog-witness <c>add-checkpoint</c> request (the host adapts it to HTTP, with its timeouts).</summary>
public interface IWitnessTransport
{
    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>; the answer whatever its status. Throws when no answer came (down, timeout).</summary>
    public Task<WitnessReply> AddCheckpointAsync(Uri url, string body, CancellationToken ct);
}

/// <summary>A witness's answer: the status code, the media type and the body.</summary>
public sealed record WitnessReply(int Status, string? ContentType, string Body);
