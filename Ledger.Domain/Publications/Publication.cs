namespace Ledger.Domain.Publications;

/// <summary>A domain's policy as its home ledger last published it.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="PolicyId">The policy's name.</param>
/// <param name="PolicyDigest">The policy's digest.</param>
/// <param name="Position">The publication's position in the log.</param>
/// <param name="PublishedAt">The publication's <c>recordedAt</c>.</param>
/// <remarks>Immutable.</remarks>
public sealed record Publication(string Domain, string PolicyId, string PolicyDigest, long Position, DateTimeOffset PublishedAt);
