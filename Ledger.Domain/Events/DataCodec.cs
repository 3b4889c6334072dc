using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ledger.Domain.Events;

/// <summary>The parse step the event codecs share: look up the type's reader, read strictly, collect every error.</summary>
internal static class DataCodec
{
    /// <param name="readers">The family's reader per wire name.</param>
    /// <param name="family">How an error names the family, e.g. "an execution event type".</param>
    public static bool TryParse<T>(
        IReadOnlyDictionary<string, Func<DataReader, T?>> readers, string family, string type, JsonElement data,
        [NotNullWhen(true)] out T? @event, out IReadOnlyList<string> errors)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);
        var found = new List<string>();
        @event = null;
        errors = found;
        if (!readers.TryGetValue(type, out var read))
        {
            found.Add($"type: '{type}' is not {family}");
            return false;
        }

        var reader = DataReader.Open(data, string.Empty, found);
        if (reader is null)
        {
            return false;
        }

        var result = read(reader);
        reader.Finish();
        if (found.Count > 0 || result is null)
        {
            if (found.Count == 0)
            {
                found.Add("data: invalid");
            }

            return false;
        }

        @event = result;
        return true;
    }
}
