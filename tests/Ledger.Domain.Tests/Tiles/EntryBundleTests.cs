using System.Text;
using Ledger.Domain.Tiles;

namespace Ledger.Domain.Tests.Tiles;

public sealed class EntryBundleTests
{
    [Fact]
    public void Entries_are_written_with_a_big_endian_uint16_length()
    {
        var bundle = EntryBundle.Write([Encoding.ASCII.GetBytes("one"), Array.Empty<byte>(), new byte[300]]);

        bundle[..7].ShouldBe(new byte[] { 0x00, 0x03, (byte)'o', (byte)'n', (byte)'e', 0x00, 0x00 });
        bundle[7..9].ShouldBe(new byte[] { 0x01, 0x2c });
        bundle.Length.ShouldBe(7 + 2 + 300);
        EntryBundle.TryParse(bundle, 3, out var entries, out var error).ShouldBeTrue(error);
        entries.Select(e => e.Length).ShouldBe([3, 0, 300]);
    }

    [Fact]
    public void An_entry_of_65535_bytes_fits_and_one_more_byte_does_not()
    {
        EntryBundle.Write([new byte[65_535]]).Length.ShouldBe(65_537);

        Should.Throw<ArgumentOutOfRangeException>(() => EntryBundle.Write([new byte[65_536]]));
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 4, "truncated length")]
    [InlineData(new byte[] { 0x00, 0x02, 0x61 }, 4, "declares 2 bytes; only 1 follow")]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00 }, 1, "more than 1 entries")]
    public void A_bundle_that_does_not_split_exactly_is_refused(byte[] bundle, int max, string reason)
    {
        EntryBundle.TryParse(bundle, max, out _, out var error).ShouldBeFalse();

        error.ShouldContain(reason);
    }
}
