using Ledger.Domain.Bundles;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>The tamper suite: each change to a valid bundle is detected with exit 1 at the right place.</summary>
public sealed class TamperTests : IDisposable
{
    private readonly TestLog _log = new();
    private readonly Scenario _scenario;
    private readonly byte[] _bundle;

    public TamperTests()
    {
        _scenario = Standard(_log, signed: true);
        _bundle = _log.FullBundleAsync().GetAwaiter().GetResult();
        Harness.Verify(_bundle, _log).Outcome.ShouldBe(VerificationOutcome.Valid);
    }

    public void Dispose()
    {
        _scenario.Dispose();
        _log.Dispose();
    }

    [Fact]
    public void One_flipped_byte_in_any_entry_is_found_at_that_entry()
    {
        var random = new Random(5);
        var lines = BundleLines.Of(_bundle);
        foreach (var (index, position) in lines.Entries().ToList())
        {
            var copy = BundleLines.Of(_bundle);
            var line = copy.Lines[index];
            line[random.Next(line.Length)] ^= (byte)random.Next(1, 256);

            var report = Harness.Verify(copy.ToBytes(), _log);

            report.ExitCode.ShouldBe(1, $"position {position}: {report.Describe()}");
            report.NamesPosition(position).ShouldBeTrue($"position {position}: {report.Describe()}");
        }
    }

    [Fact]
    public void A_flipped_byte_in_a_signed_entry_breaks_its_emitter_signature_at_that_position()
    {
        var lines = BundleLines.Of(_bundle);
        var (index, position) = lines.Entries().First(e => lines.EntryAt(e.Position) is { Emitter: "aws-emitter", Type: "execution.started.v1" });
        var text = System.Text.Encoding.UTF8.GetString(lines.Lines[index]).Replace("node-1", "node-2", StringComparison.Ordinal);
        lines.Lines[index] = System.Text.Encoding.UTF8.GetBytes(text);

        Harness.Verify(lines.ToBytes(), _log).ShouldFailAt("emitter.signature-invalid", position);
    }

    [Fact]
    public void A_deleted_entry_is_found_at_its_position()
    {
        var lines = BundleLines.Of(_bundle);
        var position = _log.Size / 2;
        lines.Lines.RemoveAt(lines.IndexOfEntry(position));

        var report = Harness.Verify(lines.ToBytes(), _log);

        report.ShouldFailAt("entry.position-mismatch", position);
        report.Failures[0].Position.ShouldBe(position);
        report.Failures.ShouldContain(f => f.Code == "trailer.count-mismatch");
    }

    [Fact]
    public void Two_swapped_entries_are_found_at_the_first_of_them()
    {
        var lines = BundleLines.Of(_bundle);
        var position = _log.Size / 3;
        var (a, b) = (lines.IndexOfEntry(position), lines.IndexOfEntry(position + 1));
        (lines.Lines[a], lines.Lines[b]) = (lines.Lines[b], lines.Lines[a]);

        var report = Harness.Verify(lines.ToBytes(), _log);

        report.ShouldFailAt("entry.position-mismatch", position);
        report.Failures[0].Position.ShouldBe(position);
        report.Failures.ShouldContain(f => f.Code == "checkpoint.root-mismatch");
    }

    [Fact]
    public void An_entry_re_signed_by_an_unknown_emitter_key_is_found_at_its_position()
    {
        var lines = BundleLines.Of(_bundle);
        var (index, position) = lines.Entries().First(e => lines.EntryAt(e.Position).Signature is not null);
        var entry = lines.EntryAt(position);
        using var intruder = SigningKey.GenerateEcdsaP256();
        var forged = entry with
        {
            Signature = new EmitterSignature(intruder.Algorithm, intruder.VerificationKey.KeyId, Convert.ToBase64String(intruder.Sign(entry.Statement.ToCanonicalBytes()))),
        };
        lines.Lines[index] = forged.ToCanonicalBytes();

        var report = Harness.Verify(lines.ToBytes(), _log);

        var failure = report.ShouldFailAt("emitter.key-mismatch", position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("found key id", intruder.VerificationKey.KeyId));
        report.Failures[0].ShouldBe(failure);
    }

    [Fact]
    public void A_checkpoint_signed_by_an_untrusted_key_is_found_at_its_tree_size()
    {
        var lines = BundleLines.Of(_bundle);
        var (index, size) = lines.Checkpoints().ElementAt(2);
        var text = SignedNote.Parse(BundleLines.Note(lines.Lines[index])).Text;
        using var other = NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());
        lines.Lines[index] = BundleLines.CheckpointLine(SignedNote.Sign(text, other).Format());

        var report = Harness.Verify(lines.ToBytes(), _log);

        report.ShouldFailAtTreeSize("checkpoint.untrusted", size);
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public void A_checkpoint_whose_signature_was_altered_is_found_at_its_tree_size()
    {
        var lines = BundleLines.Of(_bundle);
        var (index, size) = lines.Checkpoints().First();
        var note = SignedNote.Parse(BundleLines.Note(lines.Lines[index]));
        var signature = note.Signatures[0];
        var bytes = signature.Signature.ToArray();
        bytes[^1] ^= 1;
        var altered = new NoteSignature(signature.Name, signature.KeyId, bytes);
        lines.Lines[index] = BundleLines.CheckpointLine(note.Text + "\n" + altered.Line + "\n");

        Harness.Verify(lines.ToBytes(), _log).ShouldFailAtTreeSize("checkpoint.signature-invalid", size);
    }

    [Fact]
    public async Task Two_validly_signed_but_inconsistent_checkpoints_are_a_split_view()
    {
        using var signer = NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());
        using var honest = new TestLog(signer: signer);
        using var forked = new TestLog(signer: signer);
        var (size, forkedNote) = BuildFork(honest, forked);
        var lines = BundleLines.Of(await honest.FullBundleAsync());
        var index = lines.Checkpoints().Single(c => c.Size == size).Index;
        lines.Lines[index] = BundleLines.CheckpointLine(forkedNote);

        var report = Harness.Verify(lines.ToBytes(), honest);

        report.ShouldFailAtTreeSize("checkpoint.root-mismatch", size);
        report.Failures.ShouldContain(f => f.Code == "checkpoint.inconsistent" && f.TreeSize > size, report.Describe());
        report.Failures.ShouldNotContain(f => f.Code.StartsWith("checkpoint.untrusted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_split_view_in_a_partial_export_fails_the_consistency_proof()
    {
        using var signer = NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());
        using var honest = new TestLog(signer: signer);
        using var forked = new TestLog(signer: signer);
        var (size, _) = BuildFork(honest, forked);
        var later = forked.SignedCheckpoints[^1];
        var records = new List<BundleRecord>
        {
            BundleHeader.ForStream(honest.Origin, Id("a1").StreamName),
            new BundleCheckpoint(honest.SignedCheckpoints.Single(c => c.Size == size).SignedNote),
            new BundleConsistency(size, later.Size, await forked.GetConsistencyProofAsync(size, later.Size, default)),
            new BundleCheckpoint(later.SignedNote),
        };
        foreach (var p in forked.PositionsOf(Id("a1").StreamName).Where(p => p < later.Size))
        {
            records.Add(new BundleInclusion(p, later.Size, await forked.GetInclusionProofAsync(p, later.Size, default)));
            records.Add(new BundleEntry(forked.Entry(p)));
        }

        using var output = new MemoryStream();
        await BundleWriter.WriteAsync(output, records.ToAsyncEnumerable());

        var report = Harness.Verify(output.ToArray(), honest);

        var failure = report.ShouldFailAtTreeSize("checkpoint.inconsistent", later.Size);
        failure.Evidence.ShouldContain(e => e.Key == "code");
    }

    [Fact]
    public async Task A_lifecycle_violation_with_correct_hashes_and_signatures_is_caught_by_replay()
    {
        using var log = new TestLog();
        using var scenario = new Scenario(log, signed: true);
        scenario.Setup(T0);
        log.Checkpoint();
        scenario.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);
        var drifted = log.AppendUnchecked(scenario.AwsEmitter, Aws, Id("x"), new RuntimeVerified("sha256:" + new string('e', 64), VerificationVerdict.Ok), T0.AddMinutes(6));
        scenario.Submit(Id("x"), new ExecutionCompleted(ExecutionOutcome.Succeeded, []), T0.AddMinutes(7)).ShouldBeOfType<Decision.Accepted>();
        log.Checkpoint();

        var report = Harness.Verify(await log.FullBundleAsync(), log);

        var failure = report.ShouldFailAt("lifecycle.should-have-refused", drifted.Position);
        failure.Evidence.ShouldContain(new KeyValuePair<string, string>("expected", "execution.halted.v1 reason measurement-drift"));
        report.Failures.ShouldAllBe(f => f.Code.StartsWith("lifecycle.", StringComparison.Ordinal), report.Describe());
        report.FailureCount.ShouldBe(1, report.Describe());
    }

    [Fact]
    public void A_changed_header_range_is_found()
    {
        var lines = BundleLines.Of(_bundle);
        var header = System.Text.Encoding.UTF8.GetString(lines.Lines[1]);
        lines.Lines[1] = System.Text.Encoding.UTF8.GetBytes(header.Replace($"\"to\":{_log.Size}", $"\"to\":{_log.Size + 1}", StringComparison.Ordinal));

        Harness.Verify(lines.ToBytes(), _log).ShouldFailAt("bundle.range-mismatch", _log.Size);
    }

    [Fact]
    public void A_bundle_cut_after_a_checkpoint_and_given_a_new_trailer_is_found_by_its_range()
    {
        var lines = BundleLines.Of(_bundle);
        var (index, _) = lines.Checkpoints().ElementAt(1);
        lines.Lines.RemoveRange(index + 1, lines.Lines.Count - index - 1);
        var entries = lines.Lines.Count(BundleLines.IsEntry);
        var checkpoints = lines.Checkpoints().Count();
        lines.Lines.Add(System.Text.Encoding.UTF8.GetBytes($"{{\"checkpoints\":{checkpoints},\"entries\":{entries},\"lines\":{lines.Lines.Count},\"record\":\"trailer\"}}"));

        Harness.Verify(lines.ToBytes(), _log).ShouldFailAt("bundle.range-mismatch", entries);
    }

    /// <summary>Two logs identical up to a point, then different, both signed by one key: returns a size both signed and the forked note of that size.</summary>
    private static (long Size, string ForkedNote) BuildFork(TestLog honest, TestLog forked)
    {
        using var a = new Scenario(honest, signed: false);
        using var b = new Scenario(forked, signed: false);
        a.Setup(T0);
        b.Setup(T0);
        honest.Checkpoint();
        forked.Checkpoint();
        a.Completed(Id("a1"), T0.AddMinutes(1), verifications: 3, parent: null);
        b.Completed(Id("a1"), T0.AddMinutes(1), verifications: 2, parent: null);
        b.Submit(Id("z9"), b.Intent(Id("z9"), null), T0.AddMinutes(30));
        honest.Size.ShouldBe(forked.Size);
        honest.Checkpoint();
        var size = forked.Size;
        var note = forked.Checkpoint();
        a.Completed(Id("a2"), T0.AddMinutes(40), verifications: 1, parent: null);
        b.Completed(Id("a2"), T0.AddMinutes(40), verifications: 1, parent: null);
        honest.Checkpoint();
        forked.Checkpoint();
        return (size, note);
    }
}
