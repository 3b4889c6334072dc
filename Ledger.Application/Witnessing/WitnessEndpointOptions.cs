namespace Ledger.Application.Witnessing;

/// <summary>One witness this ledger submits its checkpoints to (an item of <c>Ledger:Witnesses</c>).</summary>
public sealed class WitnessEndpointOptions
{
    /// <summary>The witness's name in this ledger's configuration (and in the readiness report).</summary>
    public string? Name { get; set; }

    /// <summary>The witness's submission prefix: requests go to <c>&lt;Url&gt;/add-checkpoint</c> (for a ledger: <c>http://host:port/witness</c>).</summary>
    public string? Url { get; set; }

    /// <summary>The witness's cosignature/v1 verifier key (a ledger serves it at <c>GET /witness/key</c>).</summary>
    public string? Key { get; set; }
}
