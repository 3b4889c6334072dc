using Ledger.Domain.Tiles;

namespace Ledger.Domain.Tests.Tiles;

public sealed class TileGeometryTests
{
    [Fact]
    public void A_tree_of_70000_has_the_tiles_the_spec_lists()
    {
        // c2sp.org/tlog-tiles, "Partial Tiles": 273 full level 0 tiles, one partial level 0 tile of width 112, one full
        // level 1 tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1.
        (TileGeometry.HashCount(70_000, 0) / 256, TileGeometry.PartialWidth(70_000, 0)).ShouldBe((273, 112));
        (TileGeometry.HashCount(70_000, 1) / 256, TileGeometry.PartialWidth(70_000, 1)).ShouldBe((1, 17));
        (TileGeometry.HashCount(70_000, 2) / 256, TileGeometry.PartialWidth(70_000, 2)).ShouldBe((0, 1));
        TileGeometry.HashCount(70_000, 3).ShouldBe(0);
    }

    [Fact]
    public void A_tree_of_256_has_one_full_level_0_tile_and_a_level_1_tile_of_width_1()
    {
        TileGeometry.Holds(256, 0, new TileAddress(0)).ShouldBeTrue();
        TileGeometry.PartialWidth(256, 0).ShouldBe(0);
        TileGeometry.Holds(256, 1, new TileAddress(0, 1)).ShouldBeTrue();
        TileGeometry.Holds(256, 1, new TileAddress(0, 2)).ShouldBeFalse();
        TileGeometry.Holds(256, 0, new TileAddress(1, 1)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(300, 0, 1, 44, true)]
    [InlineData(300, 0, 1, 45, false)]
    [InlineData(300, 0, 0, 256, true)]
    [InlineData(300, 0, 0, 100, true)]
    [InlineData(300, 0, 1, 256, false)]
    [InlineData(300, 1, 0, 1, true)]
    [InlineData(0, 0, 0, 1, false)]
    [InlineData(long.MaxValue, 7, 0, 127, true)]
    [InlineData(long.MaxValue, 7, 0, 128, false)]
    [InlineData(long.MaxValue, 8, 0, 1, false)]
    [InlineData(long.MaxValue, 63, 0, 1, false)]
    [InlineData(long.MaxValue, 0, long.MaxValue, 256, false)]
    public void A_tile_is_held_once_all_its_hashes_are_complete(long size, int level, long index, int width, bool held) =>
        TileGeometry.Holds(size, level, new TileAddress(index, width)).ShouldBe(held);
}
