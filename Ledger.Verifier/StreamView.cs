namespace Ledger.Verifier;

/// <summary>What <see cref="StreamBook.Track"/> knows of an entry's stream.</summary>
/// <param name="Name">The stream.</param>
/// <param name="Key">Its compact key.</param>
/// <param name="Open">The open stream, when it has not ended.</param>
/// <param name="Closed">The compact form, when its execution ended.</param>
/// <param name="Sealed">Whether its execution's proof was persisted (nothing may follow).</param>
/// <param name="IsNew">Whether this entry is the first of the stream in the bundle.</param>
internal sealed record StreamView(string Name, StreamBook.StreamKey Key, StreamBook.OpenStream? Open, StreamBook.ClosedStream? Closed, bool Sealed, bool IsNew)
{
    /// <summary>Whether the stream began before the bundle (its first entry here is not version 1).</summary>
    public bool HistoryIncomplete { get; init; }
}
