namespace Ledger.Domain.Tests.Merkle;

internal static class Hex
{
    public static byte[] Decode(string hex) => Convert.FromHexString(hex);

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static string[] EncodeAll(IEnumerable<byte[]> hashes) => [.. hashes.Select(h => Encode(h))];
}
