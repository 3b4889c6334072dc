namespace Ledger.Projections.Reading;

/// <summary>The ledger parameters in force (ISO 8601 durations as the <c>$ledger</c> stream writes them).</summary>
/// <param name="Position">Position of the <c>ledger.policy-configured.v1</c> that set them; null for the defaults.</param>
public sealed record ParametersView(string MaxPolicyAge, string MaxAuthorizationTtl, string MaxVerificationInterval, string IntentTtl, long? Position);
