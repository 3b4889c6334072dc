using Ledger.Domain.Witnessing;

namespace Ledger.Application.Witnessing;

/// <summary>The answer to an <c>add-checkpoint</c> request: <see cref="Cosigned"/> or a refusal with the status
/// c2sp.org/tlog-witness prescribes.</summary>
/// <remarks>Immutable values; a closed set (the constructor is private).</remarks>
public abstract record WitnessOutcome
{
    private WitnessOutcome()
    {
    }

    /// <summary>200: the cosignature line(s), each ending in a newline.</summary>
    public sealed record Cosigned(string SignatureLines) : WitnessOutcome;

    /// <summary>400: the body is not an add-checkpoint request.</summary>
    public sealed record Malformed(string Reason) : WitnessOutcome;

    /// <summary>404: the origin is not a witnessed log.</summary>
    public sealed record UnknownLog(string Origin) : WitnessOutcome;

    /// <summary>403: no valid signature by a key trusted for the origin, or a trusted key's signature that fails.</summary>
    public sealed record NotSignedByLog(string Origin, string Reason) : WitnessOutcome;

    /// <summary>400, 409 or 422 as the verdict says; <see cref="SplitViewRecorded"/> when it proved a split view, now recorded.</summary>
    public sealed record Refused(WitnessVerdict Verdict, bool SplitViewRecorded) : WitnessOutcome;
}
