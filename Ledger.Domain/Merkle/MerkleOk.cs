namespace Ledger.Domain.Merkle;

/// <summary>The proof verified. There is one instance, <see cref="MerkleCheck.Ok"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record MerkleOk : MerkleCheck
{
    private MerkleOk()
    {
    }

    internal static MerkleOk Instance { get; } = new();

    /// <inheritdoc />
    public override bool IsValid => true;

    /// <inheritdoc />
    public override string ToString() => "ok";
}
