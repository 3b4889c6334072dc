namespace Ledger.Projections.Reading;

/// <summary>What the compliance dashboard shows for one scope, as of <see cref="AsOf"/>.</summary>
/// <param name="Scope">The domain and cloud counted (null: all).</param>
/// <param name="AsOf">The instant the windows and deadlines were judged at.</param>
/// <param name="Position">The position of the read model that answered.</param>
/// <param name="Parameters">The ledger parameters the deadlines use.</param>
/// <param name="Domains">Every domain the read model knows, for choosing a scope.</param>
/// <param name="Counts">Executions per cloud and status within the scope's domain (every cloud, so the scope can be changed).</param>
/// <param name="WindowStart">The start of the refusal window.</param>
/// <param name="BucketSize">The width of each refusal bucket.</param>
/// <param name="Buckets">How many buckets the window has.</param>
/// <param name="Refusals">Executions of the scope denied or halted within the window, by reason and bucket (empty buckets left out).</param>
/// <param name="VerificationOverdue">Running executions of the scope past their verification deadline or authorization expiry.</param>
/// <param name="IntentsOverdue">Intents of the scope not started within <c>intentTtl</c>.</param>
/// <param name="AuthorizationsExpiring">Authorizations of the scope ending within the window asked for, soonest first.</param>
public sealed record DashboardView(
    ExecutionScope Scope,
    DateTimeOffset AsOf,
    long Position,
    ParametersView Parameters,
    IReadOnlyList<string> Domains,
    IReadOnlyList<CloudStatusCount> Counts,
    DateTimeOffset WindowStart,
    TimeSpan BucketSize,
    int Buckets,
    IReadOnlyList<RefusalBucket> Refusals,
    ComplianceList VerificationOverdue,
    ComplianceList IntentsOverdue,
    ComplianceList AuthorizationsExpiring);
