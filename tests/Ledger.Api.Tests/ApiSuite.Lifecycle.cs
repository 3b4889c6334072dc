using System.Net;
using System.Text;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;
using Ledger.Domain.Log;
using Ledger.Domain.Merkle;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    private static readonly string[] PhaseTypes =
    [
        "execution.intent-declared.v1", "execution.governance-synchronized.v1", "execution.authorization-issued.v1",
        "execution.runtime-trust-established.v1", "execution.started.v1", "execution.runtime-verified.v1", "execution.completed.v1",
    ];

    [Fact]
    public async Task An_execution_goes_through_every_phase_and_its_receipt_verifies_against_the_ledger_key()
    {
        var story = NewStory("lifecycle");

        var positions = await RunAsync(story, 0, story.Complete());

        positions.ShouldBe(positions.Order().ToList());
        positions.Distinct().Count().ShouldBe(7);
        var stream = await JsonAsync(await GetAsync($"/v1/streams/{story.Stream}/events"));
        stream.GetProperty("streamVersion").GetInt64().ShouldBe(7);
        var entries = stream.GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("type").GetString()).ShouldBe(PhaseTypes);
        entries.Select(e => e.GetProperty("position").GetInt64()).ShouldBe(positions);
        entries.ShouldAllBe(e => e.GetProperty("emitter").GetString() == "dev");

        await SignCheckpointAsync();
        var vkey = (await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync()).Trim();
        var trusted = new NoteVerifierSet(NoteVerifier.Parse(vkey));
        foreach (var position in new[] { positions[0], positions[^1] })
        {
            using var response = await GetAsync($"/v1/log/receipt/{position}");
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            text.ShouldStartWith(TlogProof.Header + "\n");

            var receipt = TlogProof.Parse(text);
            receipt.VerifyLedgerEntry(trusted, Origin).ShouldBeOfType<TlogProofCheck.Verified>();
            var entry = LedgerEntry.Parse(receipt.Extra!.Value.Span);
            entry.Stream.ShouldBe(story.Stream);
            entry.Position.ShouldBe(position);
            receipt.Extra!.Value.ToArray().ShouldBe(Encoding.UTF8.GetBytes((await EntriesAsync(position, 1))[0]));
        }

        var lastEntry = await EntryAsync(positions[^1]);
        lastEntry.Type.ShouldBe("execution.completed.v1");
        lastEntry.Prev.ShouldBe(MerkleHash.HashLeaf((await EntryAsync(positions[^2])).ToCanonicalBytes()));
    }

    [Fact]
    public async Task A_receipt_does_not_verify_with_another_ledgers_key()
    {
        var story = NewStory("receipt-key");
        var positions = await RunAsync(story, 0, story.Intent());
        await SignCheckpointAsync();
        var vkey = (await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync()).Trim();
        using var otherKey = SigningKey.GenerateEcdsaP256();
        var impostor = NoteVerifier.Create(NoteVerifier.Parse(vkey).Name, otherKey.VerificationKey);

        var text = await (await GetAsync($"/v1/log/receipt/{positions[0]}")).Content.ReadAsStringAsync();

        TlogProof.Parse(text).VerifyLedgerEntry(new NoteVerifierSet(impostor), Origin).ShouldBeOfType<TlogProofCheck.CheckpointRejected>();
    }

    [Fact]
    public async Task A_receipt_waits_for_a_checkpoint_that_covers_the_entry()
    {
        await SignCheckpointAsync();
        var story = NewStory("receipt-wait");
        var positions = await RunAsync(story, 0, story.Intent());

        // Another node or the interval job may have signed in between; only an uncovered position answers 503.
        using var response = await GetAsync($"/v1/log/receipt/{positions[0]}");
        var latest = Checkpoint.Parse(SignedNote.Parse(await (await GetAsync("/v1/log/checkpoint")).Content.ReadAsStringAsync()).Text);
        if (latest.Size <= positions[0])
        {
            await ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "unavailable");
        }

        await SignCheckpointAsync();
        using var covered = await GetAsync($"/v1/log/receipt/{positions[0]}");
        covered.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Inclusion_and_consistency_proofs_verify_with_the_merkle_verifier()
    {
        var first = CheckpointOf(await SignCheckpointAsync());
        var story = NewStory("proofs");
        var positions = await RunAsync(story, 0, story.Intent(), story.Governance(), story.Authorization());
        var note = await SignCheckpointAsync();
        var second = CheckpointOf(note);
        var vkey = (await (await GetAsync("/v1/log/key")).Content.ReadAsStringAsync()).Trim();
        new NoteVerifierSet(NoteVerifier.Parse(vkey)).Open(note).ShouldBeOfType<NoteCheck.Verified>();
        second.Origin.ShouldBe(Origin);

        foreach (var position in positions)
        {
            var proof = await JsonAsync(await GetAsync($"/v1/log/proof/inclusion?index={position}&size={second.Size}"));
            proof.GetProperty("index").GetInt64().ShouldBe(position);
            proof.GetProperty("treeSize").GetInt64().ShouldBe(second.Size);
            var leaf = Convert.FromBase64String(proof.GetProperty("leafHash").GetString()!);
            leaf.ShouldBe(MerkleHash.HashLeaf(Encoding.UTF8.GetBytes((await EntriesAsync(position, 1))[0])));
            var hashes = proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();

            MerkleVerifier.VerifyInclusion(position, second.Size, leaf, hashes, second.RootHash.Span).IsValid.ShouldBeTrue();
            hashes[0][0] ^= 1;
            MerkleVerifier.VerifyInclusion(position, second.Size, leaf, hashes, second.RootHash.Span).IsValid.ShouldBeFalse();
        }

        var consistency = await JsonAsync(await GetAsync($"/v1/log/proof/consistency?from={first.Size}&to={second.Size}"));
        consistency.GetProperty("from").GetInt64().ShouldBe(first.Size);
        consistency.GetProperty("to").GetInt64().ShouldBe(second.Size);
        var path = consistency.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToList();
        MerkleVerifier.VerifyConsistency(first.Size, second.Size, path, first.RootHash.Span, second.RootHash.Span).IsValid.ShouldBeTrue();
        MerkleVerifier.VerifyConsistency(first.Size, second.Size, path, second.RootHash.Span, second.RootHash.Span).IsValid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("/v1/log/proof/inclusion?index=-1")]
    [InlineData("/v1/log/proof/inclusion")]
    [InlineData("/v1/log/proof/inclusion?index=0&size=999999999")]
    [InlineData("/v1/log/proof/inclusion?index=999999999")]
    [InlineData("/v1/log/proof/consistency?from=0&to=1")]
    [InlineData("/v1/log/proof/consistency?from=3&to=2")]
    [InlineData("/v1/log/proof/consistency?from=1&to=999999999")]
    [InlineData("/v1/log/entries?start=-1")]
    [InlineData("/v1/log/entries?limit=0")]
    [InlineData("/v1/log/entries?limit=10001")]
    [InlineData("/v1/log/receipt/-1")]
    [InlineData("/v1/streams/execution-x/events?limit=0")]
    [InlineData("/v1/streams/$ledger/events?direction=sideways")]
    [InlineData("/v1/streams/$ledger/events?from=0")]
    public async Task Log_reads_outside_the_tree_are_out_of_range(string path)
    {
        await ProblemAsync(await GetAsync(path), HttpStatusCode.BadRequest, "out-of-range");
    }

    [Theory]
    [InlineData("/v1/log/receipt/999999999")]
    [InlineData("/v1/streams/execution-never-declared/events")]
    public async Task Reads_of_what_does_not_exist_are_not_found(string path)
    {
        await ProblemAsync(await GetAsync(path), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_stream_reads_backward_from_its_latest_event()
    {
        var story = NewStory("backward");
        await RunAsync(story, 0, story.Intent(), story.Governance(), story.Authorization());

        var page = await JsonAsync(await GetAsync($"/v1/streams/{story.Stream}/events?direction=backward&limit=2"));

        page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("streamVersion").GetInt64()).ShouldBe([3L, 2L]);
    }

    [Fact]
    public async Task The_log_serves_entries_in_position_order_as_canonical_lines()
    {
        var story = NewStory("entries");
        var positions = await RunAsync(story, 0, story.Intent(), story.Governance());

        var lines = await EntriesAsync(0, 10_000);

        lines.Count.ShouldBe((int)await App.Node.Store.GetTreeSizeAsync());
        for (var i = 0; i < lines.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[i]);
            var entry = LedgerEntry.Parse(bytes);
            entry.Position.ShouldBe(i);
            entry.ToCanonicalBytes().ShouldBe(bytes);
        }

        LedgerEntry.Parse(Encoding.UTF8.GetBytes(lines[(int)positions[1]])).EventId.ShouldBe(story.Id + "-governance");
    }

    private static Checkpoint CheckpointOf(string note) => Checkpoint.Parse(SignedNote.Parse(note).Text);
}
