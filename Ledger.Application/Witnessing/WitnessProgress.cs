namespace Ledger.Application.Witnessing;

/// <summary>What this node saw of one witness: the last attempt, the last success and the last failure (diagnostics).</summary>
/// <param name="Witness">The witness's configured name.</param>
/// <param name="LastAttemptAt">When a checkpoint was last submitted to it.</param>
/// <param name="LastCosignedAt">When a cosignature from it was last kept.</param>
/// <param name="LastError">The last failure (no answer, an error status, a cosignature that did not verify); null after a success.</param>
/// <param name="LastErrorAt">When it failed.</param>
public sealed record WitnessProgress(string Witness, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastCosignedAt, string? LastError, DateTimeOffset? LastErrorAt);
