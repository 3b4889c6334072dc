using System.Globalization;

namespace Ledger.Verifier;

/// <summary>Builds the evidence list of a <see cref="Finding"/>.</summary>
internal sealed class EvidenceBuilder
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public EvidenceBuilder Add(string name, string? value)
    {
        if (value is not null)
        {
            _items.Add(new(name, value));
        }

        return this;
    }

    public EvidenceBuilder Add(string name, long value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    public EvidenceBuilder Add(string name, long? value) => value is null ? this : Add(name, value.Value);

    public EvidenceBuilder Hash(string name, ReadOnlySpan<byte> value) => Add(name, Convert.ToBase64String(value));

    public EvidenceBuilder Hash(string name, byte[]? value) => value is null ? this : Hash(name, value.AsSpan());
}
