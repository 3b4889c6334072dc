namespace Ledger.Verifier;

/// <summary>
/// One thing the verifier found wrong (a failure) or worth telling (a warning), with where and the evidence.
/// </summary>
/// <param name="Code">A stable code, such as <c>checkpoint.root-mismatch</c>.</param>
/// <param name="Line">The 1-based bundle line it was found on.</param>
/// <param name="Position">The log position (entry) it is about, when it is about one.</param>
/// <param name="TreeSize">The tree size (checkpoint, proof) it is about, when it is about one.</param>
/// <param name="Message">One sentence naming the offending values.</param>
/// <param name="Evidence">Named values: what was expected and what was calculated or found, in a stable order.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Finding(string Code, long Line, long? Position, long? TreeSize, string Message, IReadOnlyList<KeyValuePair<string, string>> Evidence)
{
    /// <summary>Where it was found, for people: <c>position 17 (line 20)</c> or <c>checkpoint of size 40 (line 44)</c>.</summary>
    public string Where =>
        Position is { } p ? FormattableString.Invariant($"position {p} (line {Line})")
        : TreeSize is { } s ? FormattableString.Invariant($"tree size {s} (line {Line})")
        : FormattableString.Invariant($"line {Line}");
}
