namespace Ledger.Application.Federation;

/// <summary>What a child's attestation showed: a closed set.</summary>
/// <remarks>Immutable.</remarks>
public abstract record ChildAttestation
{
    private ChildAttestation()
    {
    }

    /// <summary>It verified and proves a parent on this ledger.</summary>
    public sealed record Linked(VerifiedChild Child) : ChildAttestation;

    /// <summary>The peer answered with something that proves no child here (forged, malformed, another execution, a parent elsewhere).</summary>
    public sealed record Refused(string Reason) : ChildAttestation;

    /// <summary>No answer could be had, or its checkpoint or time could not be accepted now: asked again on a later tick.</summary>
    public sealed record Unavailable(string Reason) : ChildAttestation;
}
