using Ledger.Domain.Executions;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

public sealed class ValidBundleTests
{
    private static void ShouldBeValid(VerificationReport report)
    {
        report.Failures.ShouldBeEmpty(string.Join("\n", report.Failures.Select(f => f.Where + " " + f.Code + ": " + f.Message)));
        report.Unusable.ShouldBeNull();
        report.Outcome.ShouldBe(VerificationOutcome.Valid);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_full_export_of_an_honest_ledger_is_valid(bool withSignatures)
    {
        using var log = new TestLog();
        using var scenario = Standard(log, withSignatures);

        var report = Harness.Verify(await log.FullBundleAsync(), log);

        ShouldBeValid(report);
        report.Counts.Entries.ShouldBe(log.Size);
        report.Counts.Checkpoints.ShouldBe(log.SignedCheckpoints.Count);
        report.Counts.RootsRecomputed.ShouldBe(log.SignedCheckpoints.Count);
        report.Counts.ConsistencyProofs.ShouldBe(log.SignedCheckpoints.Count - 1);
        report.Counts.ExecutionsReplayed.ShouldBe(log.Executions.Count);
        report.Counts.EventsNotReplayed.ShouldBe(0);
        var signatures = Enumerable.Range(0, (int)log.Size).Count(p => Domain.Log.LedgerEntry.Parse(log.Entry(p)).Signature is not null);
        report.Counts.SignaturesVerified.ShouldBe(signatures);
        (signatures > 0).ShouldBe(withSignatures);
        report.WarningCount.ShouldBe(0);
    }

    [Fact]
    public async Task The_honest_ledger_refused_cascaded_swept_and_proved_as_the_scenario_intends()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        log.Executions[Id("b1")].Reason.ShouldBe(Reason.MeasurementDrift);
        log.Executions[Id("c1")].Reason.ShouldBe(Reason.ParentHalted);
        log.Executions[Id("c2")].Status.ShouldBe(ExecutionStatus.Denied);
        log.Executions[Id("g1")].Status.ShouldBe(ExecutionStatus.Halted);
        log.Executions[Id("s1")].Reason.ShouldBe(Reason.RuntimeVerificationMissed);
        log.Executions[Id("i1")].Reason.ShouldBe(Reason.IntentExpired);
        log.Executions[Id("a1")].IsProven.ShouldBeTrue();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_full_export_from_a_later_position_is_valid_with_its_frontier_and_context()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);
        var from = log.SignedCheckpoints[1].Size + 3;

        var report = Harness.Verify(await log.FullBundleAsync(from), log);

        ShouldBeValid(report);
        report.Header!.From.ShouldBe(from);
        report.Counts.InclusionProofs.ShouldBe(log.PositionsOf("$ledger").Count + log.PositionsOf("$emitters").Count);
        report.Counts.EventsNotReplayed.ShouldBeGreaterThan(0, "executions begun before the range are followed but not judged");
    }

    [Fact]
    public async Task A_full_export_of_an_inner_range_between_two_checkpoints_is_valid()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = Harness.Verify(await log.FullBundleAsync(log.SignedCheckpoints[1].Size, log.SignedCheckpoints[3].Size), log);

        ShouldBeValid(report);
        report.Counts.RootsRecomputed.ShouldBe(2, "the checkpoints at sizes 3 and 4; the one at the start is compared with the frontier");
    }

    [Fact]
    public async Task An_export_of_one_stream_is_valid_with_inclusion_proofs()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = Harness.Verify(await log.StreamBundleAsync(Id("a1").StreamName), log);

        ShouldBeValid(report);
        report.Counts.InclusionProofs.ShouldBe(report.Counts.Entries);
        report.Counts.ExecutionsReplayed.ShouldBe(1);
    }

    [Fact]
    public async Task An_export_of_a_child_alone_skips_the_lineage_checks_it_cannot_make()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = Harness.Verify(await log.StreamBundleAsync(Id("c1").StreamName), log);

        ShouldBeValid(report);
        report.Counts.LineageNotChecked.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task An_export_of_a_lineage_tree_is_valid_and_replays_the_cascade()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = Harness.Verify(await log.LineageBundleAsync(Id("p1")), log);

        ShouldBeValid(report);
        report.Counts.ExecutionsReplayed.ShouldBe(4);
        report.Counts.LineageNotChecked.ShouldBe(0);
    }

    [Fact]
    public async Task Hashes_only_checks_the_tree_and_skips_the_rest()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = new BundleVerifier([log.Signer.Verifier], new VerifierSettings { HashesOnly = true }).Verify(new MemoryStream(await log.FullBundleAsync()));

        ShouldBeValid(report);
        report.HashesOnly.ShouldBeTrue();
        report.Counts.EventsReplayed.ShouldBe(0);
        report.Counts.RootsRecomputed.ShouldBe(log.SignedCheckpoints.Count);
    }

    [Fact]
    public async Task One_thread_and_tiny_batches_give_the_same_verdict()
    {
        using var log = new TestLog();
        using var scenario = Standard(log);

        var report = new BundleVerifier([log.Signer.Verifier], new VerifierSettings { DegreeOfParallelism = 1, BatchRecords = 3 })
            .Verify(new MemoryStream(await log.FullBundleAsync()));

        ShouldBeValid(report);
        report.Counts.SignaturesVerified.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tiny_batches_whose_entry_buffers_are_reused_still_catch_an_entry_changed_near_the_end(bool hashesOnly)
    {
        // Each batch copies its entries into pooled buffers that the next batches reuse: a batch read through a
        // reused buffer must see its own bytes, so the honest bundle stays valid and a late change is still found.
        using var log = new TestLog();
        using var scenario = Standard(log);
        var bundle = await log.FullBundleAsync();
        var settings = new VerifierSettings { HashesOnly = hashesOnly, BatchRecords = 2 };
        ShouldBeValid(new BundleVerifier([log.Signer.Verifier], settings).Verify(new MemoryStream(bundle)));

        var lines = BundleLines.Of(bundle);
        var (index, position) = lines.Entries().Last();
        var line = lines.Lines[index];
        var at = Array.LastIndexOf(line, (byte)'"', line.Length - 3) - 1;
        line[at] = line[at] == (byte)'a' ? (byte)'b' : (byte)'a';

        var report = new BundleVerifier([log.Signer.Verifier], settings).Verify(new MemoryStream(lines.ToBytes()));

        report.Outcome.ShouldBe(VerificationOutcome.Invalid);
        report.Failures.ShouldContain(f => f.Position == position || f.Code == "checkpoint.root-mismatch" || f.Code.StartsWith("trailer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_truncated_bundle_read_in_tiny_batches_is_unusable(bool hashesOnly)
    {
        // The reading thread stops at the cut and hands its failure on with the batch it was filling; the batches before
        // it are checked first, so the verdict is the same as with one large batch.
        using var log = new TestLog();
        using var scenario = Standard(log);
        var bundle = await log.FullBundleAsync();
        var settings = new VerifierSettings { HashesOnly = hashesOnly, BatchRecords = 2 };

        var report = await Task.Run(() => new BundleVerifier([log.Signer.Verifier], settings).Verify(new MemoryStream(bundle[..(bundle.Length / 2)])))
            .WaitAsync(TimeSpan.FromMinutes(1));

        report.Outcome.ShouldBe(VerificationOutcome.Unusable);
        report.Unusable.ShouldNotBeNull().ShouldContain("truncated");
        report.Failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task When_the_checks_stop_early_the_reading_thread_waiting_for_room_stops_too()
    {
        // Progress is reported on the checking thread after each batch: an exception there leaves the checks while the
        // reading thread waits for a batch to be checked. It must be released, or the verification never returns.
        using var log = new TestLog();
        using var scenario = Standard(log);
        var bundle = await log.FullBundleAsync();
        var verifier = new BundleVerifier([log.Signer.Verifier], new VerifierSettings { BatchRecords = 2 });
        var batches = 0;

        var verification = Task.Run(() => verifier.Verify(new MemoryStream(bundle), _ =>
        {
            if (++batches == 3)
            {
                // Time for the reading thread to fill the free room and wait for more.
                Thread.Sleep(300);
                throw new InvalidOperationException("stopped by the caller");
            }
        }));

        var thrown = await Should.ThrowAsync<InvalidOperationException>(verification.WaitAsync(TimeSpan.FromMinutes(1)));
        thrown.Message.ShouldBe("stopped by the caller");
        batches.ShouldBe(3);
    }

    [Fact]
    public async Task Executions_left_overdue_at_the_end_are_warnings_not_failures()
    {
        using var log = new TestLog();
        using var scenario = new Scenario(log, signed: false);
        scenario.Setup(T0);
        scenario.RunUntilStarted(Id("x"), T0.AddMinutes(1), parent: null);
        scenario.Submit(Id("y"), scenario.Intent(Id("y"), null), T0.AddHours(3));
        log.Checkpoint();

        var report = Harness.Verify(await log.FullBundleAsync(), log);

        report.Outcome.ShouldBe(VerificationOutcome.Valid);
        report.Warnings.ShouldHaveSingleItem().Code.ShouldBe("lifecycle.sweep-pending");
        report.Warnings[0].Message.ShouldContain("'x'");
    }
}
