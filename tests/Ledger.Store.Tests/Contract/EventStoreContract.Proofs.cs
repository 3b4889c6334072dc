using Ledger.Domain.Merkle;

namespace Ledger.Store.Tests.Contract;

public abstract partial class EventStoreContract
{
    [Fact]
    public async Task The_empty_log_has_size_zero_and_the_empty_root()
    {
        var store = await NewStoreAsync();

        (await store.GetTreeSizeAsync()).ShouldBe(0);
        (await store.GetRootAsync(0)).ShouldBe(MerkleHash.EmptyRoot());
    }

    [Fact]
    public async Task Roots_at_every_size_match_an_in_memory_tree()
    {
        var store = await NewStoreAsync();
        await FillAsync(store, 600, batch: 37);
        var tree = new MerkleTree();
        foreach (var entry in await ReadAllAsync(store))
        {
            tree.Append(entry.LeafHash);
        }

        for (var size = 0L; size <= 600; size += size < 20 ? 1 : 23)
        {
            (await store.GetRootAsync(size)).ShouldBe(tree.Root(size), $"size {size}");
        }
    }

    [Fact]
    public async Task Inclusion_proofs_for_random_indexes_and_sizes_verify()
    {
        var store = await NewStoreAsync();
        await FillAsync(store, 1100, batch: 101);
        var leaves = (await ReadAllAsync(store)).Select(e => e.LeafHash).ToList();
        var random = new Random(6962);

        for (var i = 0; i < 150; i++)
        {
            var size = i < 10 ? leaves.Count - i : random.NextInt64(1, leaves.Count + 1);
            var index = i % 7 == 0 ? size - 1 : random.NextInt64(0, size);
            var proof = await store.GetInclusionProofAsync(index, size);
            var root = await store.GetRootAsync(size);
            var leaf = leaves[(int)index];

            var check = MerkleVerifier.VerifyInclusion(index, size, leaf, proof, root);

            check.IsValid.ShouldBeTrue($"index {index} size {size}: {check}");
        }
    }

    [Fact]
    public async Task Proofs_served_while_the_log_grows_verify_and_equal_a_fresh_stores_proofs()
    {
        // The store keeps the hashes of complete subtrees it served: they must stay right as the log grows.
        var database = await NewDatabaseAsync();
        var store = await EventStoreFactory.OpenAsync(Options(database));
        await FillAsync(store, 300, batch: 29);
        var early = await store.GetInclusionProofsAsync([.. Enumerable.Range(0, 300).Select(i => (long)i)], 300);
        await FillAsync(store, 800, batch: 97, prefix: "grown");
        var leaves = (await ReadAllAsync(store)).Select(e => e.LeafHash).ToList();
        var fresh = await OpenAsync(database);

        foreach (var size in new long[] { 300, 1100, 777, 256 })
        {
            var indexes = Enumerable.Range(0, (int)size).Where(i => i % 3 == 0 || i == size - 1).Select(i => (long)i).ToList();
            var proofs = await store.GetInclusionProofsAsync(indexes, size);
            var root = await store.GetRootAsync(size);
            for (var i = 0; i < indexes.Count; i++)
            {
                MerkleVerifier.VerifyInclusion(indexes[i], size, leaves[(int)indexes[i]], proofs[i], root).IsValid.ShouldBeTrue($"index {indexes[i]} size {size}");
                proofs[i].ShouldBe(await fresh.GetInclusionProofAsync(indexes[i], size));
            }

            if (size > 300)
            {
                var consistency = await store.GetConsistencyProofAsync(300, size);
                consistency.ShouldBe(await fresh.GetConsistencyProofAsync(300, size));
                MerkleVerifier.VerifyConsistency(300, size, consistency, await store.GetRootAsync(300), root).IsValid.ShouldBeTrue();
            }
        }

        for (var i = 0; i < 300; i++)
        {
            early[i].ShouldBe(await store.GetInclusionProofAsync(i, 300), "the same proof before and after the log grew");
        }

        await store.DisposeAsync();
    }

    [Fact]
    public async Task Inclusion_proofs_asked_together_are_the_single_proofs_and_verify()
    {
        var store = await NewStoreAsync();
        await FillAsync(store, 1100, batch: 101);
        var leaves = (await ReadAllAsync(store)).Select(e => e.LeafHash).ToList();
        var random = new Random(8785);

        foreach (var size in new long[] { 1100, 1024, 257, 1 })
        {
            var indexes = Enumerable.Range(0, 40).Select(_ => random.NextInt64(0, size)).Append(size - 1).Append(0).ToList();
            var proofs = await store.GetInclusionProofsAsync(indexes, size);
            var root = await store.GetRootAsync(size);

            proofs.Count.ShouldBe(indexes.Count);
            for (var i = 0; i < indexes.Count; i++)
            {
                proofs[i].ShouldBe(await store.GetInclusionProofAsync(indexes[i], size));
                MerkleVerifier.VerifyInclusion(indexes[i], size, leaves[(int)indexes[i]], proofs[i], root).IsValid.ShouldBeTrue();
            }
        }

        (await store.GetInclusionProofsAsync([], 1100)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Inclusion_proofs_asked_together_refuse_any_index_outside_the_tree()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 5));

        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofsAsync([0, 5], 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofsAsync([-1], 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofsAsync([0], 6));
    }

    [Fact]
    public async Task Consistency_proofs_for_random_sizes_verify()
    {
        var store = await NewStoreAsync();
        await FillAsync(store, 1100, batch: 113);
        var random = new Random(9162);

        for (var i = 0; i < 150; i++)
        {
            var size2 = i < 10 ? 1100 - i : random.NextInt64(1, 1101);
            var size1 = i % 9 == 0 ? size2 : random.NextInt64(1, size2 + 1);
            var proof = await store.GetConsistencyProofAsync(size1, size2);
            var root1 = await store.GetRootAsync(size1);
            var root2 = await store.GetRootAsync(size2);

            var check = MerkleVerifier.VerifyConsistency(size1, size2, proof, root1, root2);

            check.IsValid.ShouldBeTrue($"{size1} -> {size2}: {check}");
        }
    }

    [Fact]
    public async Task Proofs_verify_across_three_tile_levels()
    {
        // 2^16 + 300 leaves: level-16 nodes exist, so hashes come from tiles of levels 0, 1 and 2.
        var store = await NewStoreAsync();
        const int count = 65_836;
        await FillAsync(store, count, batch: 4000);
        var tree = new MerkleTree();
        var leaves = (await ReadAllAsync(store)).Select(e => e.LeafHash).ToList();
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        (await store.GetRootAsync(count)).ShouldBe(tree.Root());
        var random = new Random(2024);
        foreach (var size in new long[] { count, 65_536, 65_535, 65_537, 4097, random.NextInt64(1, count) })
        {
            var index = random.NextInt64(0, size);
            var root = tree.Root(size);
            var inclusion = await store.GetInclusionProofAsync(index, size);
            MerkleVerifier.VerifyInclusion(index, size, leaves[(int)index], inclusion, root)
                .IsValid.ShouldBeTrue($"inclusion {index} in {size}");
            var size1 = random.NextInt64(1, size + 1);
            var consistency = await store.GetConsistencyProofAsync(size1, size);
            MerkleVerifier.VerifyConsistency(size1, size, consistency, tree.Root(size1), root)
                .IsValid.ShouldBeTrue($"consistency {size1} -> {size}");
        }

        // The level-1 tile is full and now kept expanded: proofs read its nodes from memory from here on.
        for (var i = 0; i < 60; i++)
        {
            var index = random.NextInt64(0, count);
            var size = i % 3 == 0 ? 65_536 : count;
            if (index >= size)
            {
                continue;
            }

            var inclusion = await store.GetInclusionProofAsync(index, size);
            MerkleVerifier.VerifyInclusion(index, size, leaves[(int)index], inclusion, tree.Root(size))
                .IsValid.ShouldBeTrue($"inclusion {index} in {size}, again");
            var size1 = random.NextInt64(1, size + 1);
            var consistency = await store.GetConsistencyProofAsync(size1, size);
            MerkleVerifier.VerifyConsistency(size1, size, consistency, tree.Root(size1), tree.Root(size))
                .IsValid.ShouldBeTrue($"consistency {size1} -> {size}, again");
        }

        var batch = Enumerable.Range(0, 300).Select(_ => random.NextInt64(0, count)).ToList();
        var proofs = await store.GetInclusionProofsAsync(batch, count);
        for (var i = 0; i < batch.Count; i++)
        {
            MerkleVerifier.VerifyInclusion(batch[i], count, leaves[(int)batch[i]], proofs[i], tree.Root(count)).IsValid.ShouldBeTrue($"batch {batch[i]}");
        }
    }

    [Fact]
    public async Task A_proof_from_a_tile_cut_short_in_the_database_is_refused_as_a_corrupted_store()
    {
        var database = await NewDatabaseAsync();
        var store = await EventStoreFactory.OpenAsync(Options(database));
        await FillAsync(store, 300, batch: 100);
        await ExecuteSqlAsync(database, "UPDATE merkle_tiles SET width = 100, hashes = " + ZeroHashesSql(100) + " WHERE tile_level = 0 AND tile_index = 0");

        var ex = await Should.ThrowAsync<StoreCorruptedException>(() => store.GetInclusionProofAsync(200, 300));

        ex.Message.ShouldContain("The Merkle tiles are incomplete");
        ex.Message.ShouldContain("tile (level 0, index 0), which holds 100");
        (await store.GetInclusionProofAsync(290, 300)).Count.ShouldBeGreaterThan(0, "proofs that do not need the cut tile are still served");
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Proofs_and_roots_beyond_the_tree_are_rejected()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 5));

        var beyond = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetRootAsync(6));
        beyond.Message.ShouldContain("The tree has 5 leaves");
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetRootAsync(-1));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofAsync(0, 6));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofAsync(5, 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetInclusionProofAsync(-1, 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetConsistencyProofAsync(0, 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetConsistencyProofAsync(4, 3));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.GetConsistencyProofAsync(2, 6));
    }

    [Fact]
    public async Task A_consistency_proof_between_equal_sizes_is_empty()
    {
        var store = await NewStoreAsync();
        await AppendedAsync(store, Events("s", 0, "e", 5));

        (await store.GetConsistencyProofAsync(5, 5)).ShouldBeEmpty();
    }
}
