using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Ledger.Domain.Tiles;

/// <summary>
/// A c2sp.org/tlog-tiles entry bundle: consecutive log entries, each as a big-endian uint16 length followed by the
/// entry's bytes; a full bundle holds 256 entries.
/// </summary>
/// <remarks>
/// Pure and thread-safe. An entry longer than <see cref="MaxEntryBytes"/> cannot be carried in a bundle.
/// </remarks>
public static class EntryBundle
{
    /// <summary>The largest entry a bundle can carry (the uint16 length prefix): 65,535 bytes.</summary>
    public const int MaxEntryBytes = ushort.MaxValue;

    /// <summary>The bundle of <paramref name="entries"/>, in order. Throws when an entry is longer than <see cref="MaxEntryBytes"/>.</summary>
    public static byte[] Write(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var length = 0;
        foreach (var entry in entries)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(entry.Length, MaxEntryBytes, nameof(entries));
            length = checked(length + 2 + entry.Length);
        }

        var bundle = new byte[length];
        var offset = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(offset), (ushort)entry.Length);
            entry.Span.CopyTo(bundle.AsSpan(offset + 2));
            offset += 2 + entry.Length;
        }

        return bundle;
    }

    /// <summary>
    /// Splits a bundle into its entries. Fails when a length runs past the end or when it holds more than
    /// <paramref name="maxEntries"/> entries.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bundle, int maxEntries, [NotNullWhen(true)] out IReadOnlyList<byte[]>? entries, [NotNullWhen(false)] out string? error)
    {
        var list = new List<byte[]>();
        var offset = 0;
        while (offset < bundle.Length)
        {
            if (list.Count == maxEntries)
            {
                entries = null;
                error = $"The bundle holds more than {maxEntries} entries: {bundle.Length - offset} bytes follow entry {maxEntries - 1}.";
                return false;
            }

            if (bundle.Length - offset < 2)
            {
                entries = null;
                error = $"Entry {list.Count} at byte {offset} has a truncated length prefix.";
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(bundle[offset..]);
            if (bundle.Length - offset - 2 < length)
            {
                entries = null;
                error = $"Entry {list.Count} at byte {offset} declares {length} bytes; only {bundle.Length - offset - 2} follow.";
                return false;
            }

            list.Add(bundle.Slice(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        entries = list;
        error = null;
        return true;
    }
}
