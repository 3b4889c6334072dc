using System.Text;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;

namespace Ledger.Client.Tests;

/// <summary>
/// Ledger.Client against the real API in process, on one engine per subclass. Every test that writes the log ends by
/// exporting it through the client and verifying the bundle offline with ledger-verify.
/// </summary>
public abstract class ClientSuite
{
    private LedgerApp? _app;

    protected LedgerApp App => _app ?? throw new InvalidOperationException("The ledger is not started.");

    protected abstract Task<LedgerApp> StartAsync();

    private async Task<LedgerApp> LedgerAsync() => _app ??= await StartAsync();

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa-p256")]
    public async Task A_signed_lifecycle_is_appended_decided_and_its_receipt_verifies_offline(string alg)
    {
        await LedgerAsync();
        using var key = alg == "ed25519" ? (SigningKey)SigningKey.GenerateEd25519() : SigningKey.GenerateEcdsaP256();
        using var emitter = await SigningEmitterAsync("client-" + alg, key);
        var execution = new Lifecycle("client-signed-" + alg, DateTimeOffset.UtcNow);

        var started = await emitter.AppendAsync(execution.Id, 0, execution.UpToStart());
        var decision = await emitter.GetDecisionAsync(execution.Id);
        await emitter.AppendAsync(execution.Id, 5, [execution.Verified()]);
        var completed = await emitter.AppendAsync(execution.Id, 6, [execution.Completed()]);

        started.Replayed.ShouldBeFalse();
        started.StreamVersion.ShouldBe(5);
        started.Entries.Select(e => e.EventId).ShouldBe(execution.UpToStart().Select(e => e.EventId));
        decision.Allowed.ShouldBeTrue();
        decision.Status.ShouldBe("running");
        decision.ValidUntil.ShouldNotBeNull().Offset.ShouldBe(TimeSpan.Zero);
        (await emitter.GetDecisionAsync(execution.Id)).Status.ShouldBe("completed");

        using var admin = Client(App.FirstStart.AdminToken);
        await admin.SignCheckpointAsync();
        var trusted = ReceiptVerifier.ReadTrustedKeys([await emitter.GetVerifierKeyAsync()]);
        var receipt = await emitter.GetVerifiedReceiptAsync(completed.Positions[0], trusted);
        receipt.Position.ShouldBe(completed.Positions[0]);
        receipt.Entry.EventId.ShouldBe(execution.Completed().EventId);
        receipt.Entry.Signature.ShouldNotBeNull().Alg.ShouldBe(key.Algorithm);
        Convert.ToBase64String(receipt.LeafHash).ShouldBe(completed.Entries[0].LeafHash);
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_lifecycle_violation_is_a_problem_with_its_reason_the_rejected_event_and_the_position_of_the_denial()
    {
        await LedgerAsync();
        using var client = Client(DevToken());
        var execution = new Lifecycle("client-violation", DateTimeOffset.UtcNow);
        await client.AppendAsync(execution.Id, 0, [execution.Intent(), execution.Governance()]);

        var refused = await Should.ThrowAsync<LedgerProblemException>(() =>
            client.AppendAsync(execution.Id, 2, [execution.Authorization(granted: ["s3:read", "s3:delete"])]));

        refused.Status.ShouldBe(422);
        refused.FailedClosed.ShouldBeTrue();
        refused.Problem.Slug.ShouldBe("lifecycle-violation");
        refused.Problem.Reason.ShouldBe("authorization-scope-exceeded");
        refused.Problem.Rejected.ShouldNotBeNull().EventId.ShouldBe(execution.Authorization().EventId);
        refused.Problem.Rejected!.Digest.ShouldStartWith("sha256:");
        var position = refused.Problem.Position.ShouldNotBeNull();
        var denial = (await client.ReadLogAsync(position, 1)).ShouldHaveSingleItem();
        denial.Entry.Type.ShouldBe("execution.denied.v1");
        denial.Entry.Stream.ShouldBe(execution.Id.StreamName);
        refused.Message.ShouldContain("reason: authorization-scope-exceeded");
        (await client.GetDecisionAsync(execution.Id)).Allowed.ShouldBeFalse();
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task An_invalid_event_is_refused_with_its_errors_and_nothing_is_appended()
    {
        await LedgerAsync();
        using var client = Client(DevToken());
        using var data = JsonDocument.Parse("{\"runtimeNode\": 7}");
        var size = await App.Node.Store.GetTreeSizeAsync();

        var refused = await Should.ThrowAsync<LedgerProblemException>(() =>
            client.AppendAsync("execution-client-invalid", 0, [new EventSubmission("client-invalid-1", "execution.started.v1", "aws", data.RootElement)]));

        refused.Status.ShouldBe(400);
        refused.Problem.Slug.ShouldBe("validation-failed");
        refused.Problem.Errors.ShouldNotBeEmpty();
        (await App.Node.Store.GetTreeSizeAsync()).ShouldBe(size);
    }

    [Fact]
    public async Task A_typed_event_its_wire_format_does_not_allow_is_refused_before_anything_is_sent()
    {
        await LedgerAsync();
        var counting = new FlakyHandler(App.Server.CreateHandler());
        using var client = Client(DevToken(), counting);
        var execution = new Lifecycle("client-typed-bad", DateTimeOffset.UtcNow);

        await Should.ThrowAsync<ArgumentException>(() => client.AppendAsync(execution.Id, 0, [execution.Verified(measurement: "not a digest")]));

        counting.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task An_answer_lost_on_the_way_is_retried_and_the_events_are_appended_once()
    {
        await LedgerAsync();
        var flaky = new FlakyHandler(App.Server.CreateHandler(), lose: 2);
        using var client = Client(DevToken(), flaky);
        var execution = new Lifecycle("client-retried", DateTimeOffset.UtcNow);
        var size = await App.Node.Store.GetTreeSizeAsync();

        var result = await client.AppendAsync(execution.Id, 0, execution.UpToStart());

        flaky.Requests.ShouldBe(3);
        result.Replayed.ShouldBeTrue("the first try landed; the retries get its original result");
        result.StreamVersion.ShouldBe(5);
        (await App.Node.Store.GetTreeSizeAsync()).ShouldBe(size + 5);
        (await App.Node.Store.GetStreamVersionAsync(execution.Id.StreamName)).ShouldBe(5);
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_conflict_is_reported_at_once_and_not_retried()
    {
        await LedgerAsync();
        var counting = new FlakyHandler(App.Server.CreateHandler());
        using var client = Client(DevToken(), counting);
        var execution = new Lifecycle("client-conflict", DateTimeOffset.UtcNow);
        await client.AppendAsync(execution.Id, 0, [execution.Intent()]);

        var conflict = await Should.ThrowAsync<LedgerProblemException>(() => client.AppendAsync(execution.Id, 0, [execution.Governance()]));

        conflict.Status.ShouldBe(409);
        conflict.Problem.Slug.ShouldBe("version-conflict");
        counting.Requests.ShouldBe(2);
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task The_subscription_catches_up_follows_new_appends_and_resumes_without_gap_or_repeat()
    {
        await LedgerAsync();
        using var client = Client(DevToken());
        var first = new Lifecycle("client-sub-1", DateTimeOffset.UtcNow);
        await client.AppendAsync(first.Id, 0, first.UpToStart());
        var from = await App.Node.Store.GetTreeSizeAsync() - 5;

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<LogEntry>();
        var second = new Lifecycle("client-sub-2", DateTimeOffset.UtcNow);
        var appendLater = Task.Run(async () =>
        {
            await Task.Delay(500);
            await client.AppendAsync(second.Id, 0, [second.Intent(), second.Governance()]);
        });
        await foreach (var entry in client.SubscribeAsync(from, stop.Token))
        {
            seen.Add(entry);
            if (entry.Entry.EventId == second.Governance().EventId)
            {
                break;
            }
        }

        await appendLater;
        seen.Select(e => e.Position).ShouldBe(Enumerable.Range(0, seen.Count).Select(i => from + i));
        seen.Select(e => e.Entry.EventId).ShouldContain(first.Started().EventId);
        seen.Select(e => e.Entry.EventId).ShouldContain(second.Intent().EventId);

        // Resume from the middle: the same entries from there, byte for byte.
        var resumeAt = seen[2].Position;
        var resumed = new List<LogEntry>();
        await foreach (var entry in client.SubscribeAsync(resumeAt, stop.Token))
        {
            resumed.Add(entry);
            if (resumed.Count == seen.Count - 2)
            {
                break;
            }
        }

        resumed.Select(e => Convert.ToBase64String(e.LeafHash)).ShouldBe(seen.Skip(2).Select(e => Convert.ToBase64String(e.LeafHash)));
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task A_receipt_checked_against_another_key_does_not_verify()
    {
        await LedgerAsync();
        using var client = Client(DevToken());
        var execution = new Lifecycle("client-receipt-other", DateTimeOffset.UtcNow);
        var appended = await client.AppendAsync(execution.Id, 0, [execution.Intent()]);
        using var admin = Client(App.FirstStart.AdminToken);
        await admin.SignCheckpointAsync();
        using var other = SigningKey.GenerateEd25519();
        var stranger = Ledger.Domain.Notes.NoteVerifier.Create(App.Node.Origin, other.VerificationKey);

        var failure = await Should.ThrowAsync<ReceiptVerificationException>(() =>
            client.GetVerifiedReceiptAsync(appended.Positions[0], new Ledger.Domain.Notes.NoteVerifierSet(stranger)));

        failure.Code.ShouldBe("receipt-checkpoint-rejected");
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task Admin_calls_register_an_emitter_and_mint_its_token()
    {
        await LedgerAsync();
        using var admin = Client(App.FirstStart.AdminToken);

        var position = await admin.RegisterEmitterAsync("client-admin-made", ["gcp"], null, signaturesRequired: false);
        var minted = await admin.MintTokenAsync("client-admin-made", "emitter");
        var emitters = await admin.ListEmittersAsync();

        position.ShouldNotBeNull();
        minted.Subject.ShouldBe("client-admin-made");
        minted.Token.ShouldNotBeNullOrWhiteSpace();
        emitters.EnumerateArray().ShouldContain(e => e.GetProperty("name").GetString() == "client-admin-made");
        var forbidden = await Should.ThrowAsync<LedgerProblemException>(() => Client(minted.Token).RegisterEmitterAsync("x", ["gcp"], null, false));
        forbidden.Status.ShouldBe(403);
        await ExportVerifiesAsync();
    }

    protected LedgerClient Client(string? token, HttpMessageHandler? handler = null, SigningKey? key = null, string? emitter = null) =>
        new(new LedgerClientOptions
        {
            BaseAddress = new Uri("http://ledger.test/"),
            Token = token,
            SigningKey = key,
            Emitter = emitter,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            SubscriptionWait = TimeSpan.FromSeconds(5),
        }, handler ?? App.Server.CreateHandler());

    protected string DevToken()
    {
        using var credentials = JsonDocument.Parse(File.ReadAllText(Path.Combine(App.DataDir, "dev-credentials.json")));
        return credentials.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Registers an emitter for domain <c>aws</c> that must sign, and returns a client holding its token and key.</summary>
    private async Task<LedgerClient> SigningEmitterAsync(string name, SigningKey key)
    {
        using var admin = Client(App.FirstStart.AdminToken);
        await admin.RegisterEmitterAsync(name, [Lifecycle.Domain], key.VerificationKey.Text, signaturesRequired: true);
        var minted = await admin.MintTokenAsync(name, "emitter");
        return Client(minted.Token, key: key, emitter: name);
    }

    /// <summary>Signs a checkpoint, exports the whole log through the client and verifies it offline with ledger-verify.</summary>
    protected async Task ExportVerifiesAsync()
    {
        using var admin = Client(App.FirstStart.AdminToken);
        await admin.SignCheckpointAsync();
        var vkey = await admin.GetVerifierKeyAsync();
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = File.Create(path))
            {
                (await admin.ExportAsync("", file)).ShouldBeGreaterThan(0);
            }

            using var output = new StringWriter();
            var exit = Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output);
            exit.ShouldBe(0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
