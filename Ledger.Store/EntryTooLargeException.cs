using System.Globalization;
using Ledger.Domain.Log;

namespace Ledger.Store;

/// <summary>
/// An append refused because one of its entries, as the ledger built it (origin, position, recordedAt, stream version
/// and prev added to the statement), has more than <see cref="LedgerEntry.MaxCanonicalBytes"/> canonical bytes.
/// Nothing of that request is appended; other requests of the same group commit are written without it.
/// </summary>
public sealed class EntryTooLargeException : Exception
{
    /// <summary>Creates the exception with its evidence.</summary>
    public EntryTooLargeException(string stream, string eventId, int size)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"The entry of event '{eventId}' in stream '{stream}' would have {size} canonical bytes; an entry has at most {LedgerEntry.MaxCanonicalBytes}."))
    {
        Stream = stream;
        EventId = eventId;
        Size = size;
    }

    /// <summary>The stream of the refused append.</summary>
    public string Stream { get; }

    /// <summary>The event whose entry is too large.</summary>
    public string EventId { get; }

    /// <summary>The entry's canonical size in bytes.</summary>
    public int Size { get; }

    /// <summary>The limit (<see cref="LedgerEntry.MaxCanonicalBytes"/>).</summary>
    public static int Limit => LedgerEntry.MaxCanonicalBytes;
}
