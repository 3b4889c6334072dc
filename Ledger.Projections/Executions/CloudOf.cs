using System.Text.Json;

namespace Ledger.Projections.Executions;

/// <summary>
/// The cloud or provider of an execution: the intent's metadata <c>cloud</c> (or <c>provider</c>) when it is a
/// string, otherwise the first label of the origin domain when it names a known provider
/// (<c>aws.eu-west-1</c> → <c>aws</c>), otherwise none.
/// </summary>
internal static class CloudOf
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "aws", "azure", "gcp", "oci", "ibm", "alibaba", "edge", "onprem",
    };

    private static readonly char[] Separators = ['.', ':', '/', '-', '_'];

    public static string? Find(JsonElement? metadata, string? originDomain)
    {
        if (metadata is { ValueKind: JsonValueKind.Object } m)
        {
            foreach (var name in (ReadOnlySpan<string>)["cloud", "provider"])
            {
                if (m.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 64 } text)
                {
                    return text.ToLowerInvariant();
                }
            }
        }

        if (originDomain is null)
        {
            return null;
        }

        var cut = originDomain.IndexOfAny(Separators);
        var label = (cut < 0 ? originDomain : originDomain[..cut]).ToLowerInvariant();
        return Known.Contains(label) ? label : null;
    }
}
