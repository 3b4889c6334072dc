namespace Ledger.Domain.Executions;

/// <summary>The last lifecycle phase an execution reached (DESIGN §3), in order.</summary>
/// <remarks>
/// Phases only move forward: the numeric value never decreases along a stream (values order the
/// phases; they are not the design's phase numbers, which the member docs give). A terminal
/// denial or halt leaves the phase where it was, so a denied execution tells how far it got.
/// </remarks>
public enum ExecutionPhase
{
    /// <summary>Nothing declared.</summary>
    None = 0,

    /// <summary>1: intent declared.</summary>
    Intent = 1,

    /// <summary>2: governance synchronized.</summary>
    GovernanceSync = 2,

    /// <summary>3: authorization issued.</summary>
    Authorization = 3,

    /// <summary>4: runtime trust established.</summary>
    RuntimeTrust = 4,

    /// <summary>5: started.</summary>
    Start = 5,

    /// <summary>6: verified at least once.</summary>
    Verification = 6,

    /// <summary>6 end: completed.</summary>
    End = 7,

    /// <summary>7: proof persisted by the ledger.</summary>
    Proof = 8,
}
