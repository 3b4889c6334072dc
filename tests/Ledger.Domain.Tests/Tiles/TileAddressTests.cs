using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Tiles;

namespace Ledger.Domain.Tests.Tiles;

public sealed class TileAddressTests
{
    [Theory]
    [InlineData(0, 256, "000")]
    [InlineData(7, 256, "007")]
    [InlineData(999, 256, "999")]
    [InlineData(1000, 256, "x001/000")]
    [InlineData(1_234_067, 256, "x001/x234/067")]
    [InlineData(1_234_067, 5, "x001/x234/067.p/5")]
    [InlineData(0, 1, "000.p/1")]
    [InlineData(0, 255, "000.p/255")]
    [InlineData(long.MaxValue, 256, "x009/x223/x372/x036/x854/x775/807")]
    public void The_index_is_written_in_3_digit_elements_all_but_the_last_x_prefixed(long index, int width, string path)
    {
        var address = new TileAddress(index, width);

        address.Format().ShouldBe(path);
        TileAddress.TryParse(path, out var parsed, out var error).ShouldBeTrue(error);
        parsed.ShouldBe(address);
        parsed.IsPartial.ShouldBe(width < 256);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("00")]
    [InlineData("0000")]
    [InlineData("x000/001")]
    [InlineData("x001/x000")]
    [InlineData("001/002")]
    [InlineData("x1/002")]
    [InlineData("X001/002")]
    [InlineData("x001/x002")]
    [InlineData("000/")]
    [InlineData("/000")]
    [InlineData("000.p/0")]
    [InlineData("000.p/01")]
    [InlineData("000.p/256")]
    [InlineData("000.p/+5")]
    [InlineData("000.p/")]
    [InlineData("000.p")]
    [InlineData("000.p/5/6")]
    [InlineData("x001.p/5")]
    [InlineData("0a0")]
    [InlineData("١٢٣")]
    [InlineData("x009/x223/x372/x036/x854/x775/808")]
    [InlineData("x999/x999/x999/x999/x999/x999/x999/999")]
    public void Anything_but_the_canonical_encoding_is_refused_with_a_reason(string path)
    {
        TileAddress.TryParse(path, out _, out var error).ShouldBeFalse();

        error.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Formatting_then_parsing_gives_back_every_address()
    {
        var cases = (from low in Gen.Choose(0, int.MaxValue)
                     from high in Gen.Choose(0, 1 << 20)
                     let index = ((long)high << 31) | (uint)low
                     from width in Gen.Choose(1, 256)
                     select new TileAddress(index, width)).ToArbitrary();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases, a =>
            TileAddress.TryParse(a.Format(), out var parsed, out _) && parsed == a));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData("63", 63)]
    public void A_level_is_0_to_63_without_leading_zeros(string text, int level)
    {
        TilePath.TryParseLevel(text, out var parsed, out var error).ShouldBeTrue(error);
        parsed.ShouldBe(level);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("01")]
    [InlineData("64")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("entries")]
    public void Any_other_level_is_refused(string text) => TilePath.TryParseLevel(text, out _, out _).ShouldBeFalse();

    [Fact]
    public void Paths_are_relative_to_the_prefix() =>
        (TilePath.Tile(1, new TileAddress(1_234_067, 17)), TilePath.EntryBundle(new TileAddress(3))).ShouldBe(("tile/1/x001/x234/067.p/17", "tile/entries/003"));
}
