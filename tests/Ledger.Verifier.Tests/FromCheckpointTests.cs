using System.Text.Json;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Ledger.Verifier.Tests.Building;
using static Ledger.Verifier.Tests.Building.Scenario;

namespace Ledger.Verifier.Tests;

/// <summary>
/// A daily audit: <c>--save-checkpoint</c> keeps the last verified checkpoint and the tree's compact range;
/// <c>--from-checkpoint</c> verifies only the next suffix and links it to that checkpoint.
/// </summary>
public sealed class FromCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-verify-held-").FullName;
    private readonly TestLog _log = new();
    private readonly Scenario _scenario;

    public FromCheckpointTests()
    {
        _scenario = Scenario.Standard(_log, signed: false);
    }

    private string State => Path.Combine(_dir, "state.json");

    public void Dispose()
    {
        _scenario.Dispose();
        _log.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_second_audit_verifies_only_the_suffix_and_saves_the_new_checkpoint()
    {
        var day1 = await Write("day1", await _log.FullBundleAsync());
        var first = Harness.Run(day1, "--trust", _log.VerifierKey, "--save-checkpoint", State);
        first.Exit.ShouldBe(0, first.Stdout + first.Stderr);
        var size1 = _log.Size;
        first.Stderr.ShouldContain($"saved the checkpoint of size {size1}");
        SavedSize().ShouldBe(size1);

        _scenario.Completed(Id("d2"), T0.AddDays(1), verifications: 2, parent: null);
        _log.Checkpoint();
        var day2 = await Write("day2", await _log.FullBundleAsync(from: size1));

        var second = Harness.Run(day2, "--trust", _log.VerifierKey, "--from-checkpoint", State, "--save-checkpoint", State, "--json");

        second.Exit.ShouldBe(0, second.Stdout + second.Stderr);
        second.Json.GetProperty("counts").GetProperty("entries").GetInt64().ShouldBeLessThan(_log.Size);
        SavedSize().ShouldBe(_log.Size);
    }

    [Fact]
    public async Task A_bundle_that_does_not_start_at_the_saved_size_is_unusable()
    {
        await SaveDay1();
        _scenario.Completed(Id("d2"), T0.AddDays(1), verifications: 1, parent: null);
        _log.Checkpoint();
        var whole = await Write("whole", await _log.FullBundleAsync());

        var result = Harness.Run(whole, "--trust", _log.VerifierKey, "--from-checkpoint", State);

        result.Exit.ShouldBe(2);
        result.Stdout.ShouldContain("must be a full export from position");
    }

    [Fact]
    public async Task A_suffix_of_another_view_of_the_log_fails()
    {
        // Another log signed with the same key and of the same size at the saved checkpoint, but with other entries: its
        // suffix does not continue the tree the previous audit verified.
        await SaveDay1();
        using var fork = new TestLog(_log.Origin, _log.Signer);
        using (var s = new Scenario(fork, signed: false))
        {
            s.Setup(T0);
            while (fork.Size < _log.Size)
            {
                s.Submit(Id("f" + fork.Size), s.Intent(Id("f" + fork.Size), null, "fork"), T0.AddMinutes(fork.Size));
            }

            fork.Size.ShouldBe(_log.Size);
            fork.Checkpoint();
            s.Completed(Id("d2"), T0.AddDays(1), verifications: 1, parent: null);
        }

        fork.Checkpoint();
        var suffix = await Write("fork", await fork.FullBundleAsync(from: _log.Size));

        var result = Harness.Run(suffix, "--trust", _log.VerifierKey, "--from-checkpoint", State, "--json");

        result.Exit.ShouldBe(1, result.Stdout + result.Stderr);
        var codes = result.Json.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        codes.ShouldContain("frontier.held-mismatch");
    }

    [Fact]
    public async Task A_saved_range_that_does_not_fold_to_the_checkpoint_is_refused()
    {
        await SaveDay1();
        var saved = JsonDocument.Parse(File.ReadAllBytes(State)).RootElement;
        var range = saved.GetProperty("range").EnumerateArray().Select(h => h.GetString()!).ToList();
        range[0] = Convert.ToBase64String(new byte[32]);
        File.WriteAllText(State, JsonSerializer.Serialize(new { checkpoint = saved.GetProperty("checkpoint").GetString(), range }));

        var result = Harness.Run(State, "--trust", _log.VerifierKey, "--from-checkpoint", State);

        result.Exit.ShouldBe(2);
        result.Stderr.ShouldContain("its range does not fold to its checkpoint's root");
    }

    [Fact]
    public async Task A_saved_checkpoint_not_signed_by_a_trusted_key_is_refused()
    {
        await SaveDay1();
        using var other = NoteSigner.Create("ledger.example", SigningKey.GenerateEcdsaP256());

        var result = Harness.Run(State, "--trust", other.Verifier.VerifierKey, "--from-checkpoint", State);

        result.Exit.ShouldBe(2);
        result.Stderr.ShouldContain("does not meet the trusted keys and policy");
    }

    [Fact]
    public async Task A_file_that_is_not_a_saved_checkpoint_is_refused()
    {
        File.WriteAllText(State, "[1, 2]");
        var bundle = await Write("day1", await _log.FullBundleAsync());

        var result = Harness.Run(bundle, "--trust", _log.VerifierKey, "--from-checkpoint", State);

        result.Exit.ShouldBe(2);
        result.Stderr.ShouldContain("it is not a saved checkpoint");
    }

    [Fact]
    public async Task An_invalid_bundle_saves_nothing()
    {
        var bytes = await _log.FullBundleAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes).Replace("\"deploy\"", "\"delete\"", StringComparison.Ordinal);
        var bundle = await Write("tampered", System.Text.Encoding.UTF8.GetBytes(text));

        var result = Harness.Run(bundle, "--trust", _log.VerifierKey, "--save-checkpoint", State);

        result.Exit.ShouldBe(1);
        result.Stderr.ShouldContain("not saved: the bundle is not valid");
        File.Exists(State).ShouldBeFalse();
    }

    [Fact]
    public async Task A_save_that_cannot_be_written_is_unusable_and_names_the_file()
    {
        var bundle = await Write("day1", await _log.FullBundleAsync());
        var target = Path.Combine(_dir, "missing-directory", "state.json");

        var result = Harness.Run(bundle, "--trust", _log.VerifierKey, "--save-checkpoint", target);

        result.Exit.ShouldBe(2);
        result.Stderr.ShouldContain($"cannot write '{target}'");
        File.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public async Task A_partial_bundle_cannot_be_continued_from_and_saves_nothing()
    {
        var stream = await Write("stream", await _log.StreamBundleAsync(Id("a1").StreamName));

        var result = Harness.Run(stream, "--trust", _log.VerifierKey, "--save-checkpoint", State);

        result.Exit.ShouldBe(2, result.Stdout + result.Stderr);
        result.Stderr.ShouldContain("only a full bundle whose entries end at its last checkpoint");
        File.Exists(State).ShouldBeFalse();
    }

    [Fact]
    public void Saving_takes_one_bundle() =>
        GarbageTests.ShouldBeUnusable(Harness.Run("a", "b", "--trust", "x", "--save-checkpoint", "s"), "take one bundle");

    private async Task SaveDay1()
    {
        var day1 = await Write("day1", await _log.FullBundleAsync());
        Harness.Run(day1, "--trust", _log.VerifierKey, "--save-checkpoint", State).Exit.ShouldBe(0);
    }

    private long SavedSize()
    {
        var note = JsonDocument.Parse(File.ReadAllBytes(State)).RootElement.GetProperty("checkpoint").GetString()!;
        return Checkpoint.Parse(SignedNote.Parse(note).Text).Size;
    }

    private async Task<string> Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name + ".ndjson");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
