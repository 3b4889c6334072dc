using Ledger.Domain.Crypto;

namespace Ledger.Cli.Tests;

[Collection(LedgerApiGroup.Name)]
public sealed class AppendCommandTests(LedgerApiFixture api) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task An_append_body_file_is_appended_and_its_positions_reported()
    {
        var execution = new Lifecycle("app-body");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.UpToAuthorization()));

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain($"appended 3 events to {execution.Stream}, stream version 3");
        result.Output.ShouldContain(execution.Id("authorization"));
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(3);
    }

    [Fact]
    public async Task Every_line_of_an_ndjson_file_is_appended()
    {
        var execution = new Lifecycle("app-ndjson");
        var file = _dir.Write("events.ndjson", Lifecycle.Ndjson(execution.UpToAuthorization()));

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", file, "--expected-version", "0");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(3);
    }

    [Fact]
    public async Task Appending_the_same_file_again_reports_the_original_positions()
    {
        var execution = new Lifecycle("app-replay");
        var file = _dir.Write("events.json", Lifecycle.Body(null, execution.Intent()));
        var first = await api.DevAsync("append", "--stream", execution.Stream, "--file", file);

        var again = await api.DevAsync("append", "--stream", execution.Stream, "--file", file);

        again.ExitCode.ShouldBe(ExitCodes.Ok, again.ToString());
        again.Output.ShouldContain("already appended");
        again.Output.Split('\n')[1].ShouldBe(first.Output.Split('\n')[1]);
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(1);
    }

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("ed25519")]
    public async Task Events_signed_with_the_emitters_key_are_verified_and_kept(string alg)
    {
        var name = "signer-" + alg;
        var (keyFile, credentials) = await RegisterSigningEmitterAsync(name, alg);
        var execution = new Lifecycle("app-signed-" + alg, "gcp");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.UpToAuthorization()));

        var result = await api.RunAsync("--credentials", credentials, "append", "--stream", execution.Stream, "--file", file, "--key", keyFile);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var entries = await api.Node.Store.ReadStreamAsync(execution.Stream, 1, Ledger.Store.ReadDirection.Forward, 10);
        entries.Count.ShouldBe(3);
        using var key = PrivateKeyText.Import(File.ReadAllText(keyFile));
        foreach (var entry in entries)
        {
            entry.Emitter.ShouldBe(name);
            entry.Signature.ShouldNotBeNull();
            EmitterSigner.Verify(entry.Statement, entry.Signature, key.VerificationKey).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task The_emitter_name_for_signing_can_be_given_with_an_option()
    {
        var (keyFile, credentials) = await RegisterSigningEmitterAsync("signer-named", "ecdsa-p256");
        var token = System.Text.Json.JsonDocument.Parse(File.ReadAllText(credentials)).RootElement.GetProperty("token").GetString()!;
        var execution = new Lifecycle("app-named", "gcp");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));

        var result = await api.RunAsync("--token", token, "append", "--stream", execution.Stream, "--file", file, "--key", keyFile, "--emitter", "signer-named");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task Unsigned_events_of_an_emitter_that_must_sign_are_refused()
    {
        var (_, credentials) = await RegisterSigningEmitterAsync("signer-lazy", "ecdsa-p256");
        var execution = new Lifecycle("app-unsigned", "gcp");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));

        var result = await api.RunAsync("--credentials", credentials, "append", "--stream", execution.Stream, "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 400: This emitter must sign its events");
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(0);
    }

    [Fact]
    public async Task Events_signed_with_another_key_are_refused()
    {
        var (_, credentials) = await RegisterSigningEmitterAsync("signer-wrong", "ecdsa-p256");
        var otherKey = _dir.File("other.key");
        (await Cli.RunAsync("keys", "generate", "--out", otherKey)).ExitCode.ShouldBe(ExitCodes.Ok);
        var execution = new Lifecycle("app-wrong-key", "gcp");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));

        var result = await api.RunAsync("--credentials", credentials, "append", "--stream", execution.Stream, "--file", file, "--key", otherKey);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("bad-signature");
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(0);
    }

    [Fact]
    public async Task Signing_without_an_emitter_name_is_a_usage_error()
    {
        var keyFile = _dir.File("k.key");
        await Cli.RunAsync("keys", "generate", "--out", keyFile);
        var execution = new Lifecycle("app-noname");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));

        var result = await api.RunAsync("--token", api.DevToken, "append", "--stream", execution.Stream, "--file", file, "--key", keyFile);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--emitter");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("PRIVATE+KEY+x+00000000+AQ==")]
    public async Task A_bad_key_file_is_an_input_error_and_nothing_is_sent(string content)
    {
        var keyFile = _dir.Write("bad.key", content);
        var execution = new Lifecycle("app-badkey");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));
        var size = await api.TreeSizeAsync();

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", file, "--key", keyFile);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("is not a private key file");
        result.Error.ShouldNotContain("   at ");
        (await api.TreeSizeAsync()).ShouldBe(size);
    }

    [Theory]
    [InlineData("not json at all", "neither one JSON document nor NDJSON")]
    [InlineData("{\"events\": []}", "holds no events")]
    [InlineData("{\"events\": {}}", "must be an array")]
    [InlineData("{\"events\": [1]}", "is not an event object")]
    [InlineData("{\"expectedVersion\": \"0\", \"events\": [{}]}", "expectedVersion")]
    [InlineData("{\"eventId\": \"a\", \"eventId\": \"b\"}\n{\"x\":1}", "line 1")]
    [InlineData("\"just a string\"", "must hold an append body")]
    public async Task An_invalid_events_file_is_an_input_error(string content, string message)
    {
        var file = _dir.Write("bad.json", content);
        var size = await api.TreeSizeAsync();

        var result = await api.DevAsync("append", "--stream", "execution-app-badfile", "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain(message);
        (await api.TreeSizeAsync()).ShouldBe(size);
    }

    [Fact]
    public async Task A_missing_events_file_is_an_input_error()
    {
        var result = await api.DevAsync("append", "--stream", "execution-x", "--file", _dir.File("missing.json"));

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("Cannot read the events file");
    }

    [Fact]
    public async Task An_event_that_cannot_be_signed_is_an_input_error()
    {
        var (keyFile, credentials) = await RegisterSigningEmitterAsync("signer-incomplete", "ecdsa-p256");
        var file = _dir.Write("events.json", "{\"events\": [{\"eventId\": \"x-1\", \"type\": \"execution.started.v1\", \"domain\": \"gcp\"}]}");

        var result = await api.RunAsync("--credentials", credentials, "append", "--stream", "execution-x", "--file", file, "--key", keyFile);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("events[0] needs a \"data\" object");
    }

    [Fact]
    public async Task An_expected_version_that_does_not_match_is_refused_as_a_conflict()
    {
        var execution = new Lifecycle("app-race");
        await api.DevAsync("append", "--stream", execution.Stream, "--file", _dir.Write("a.json", Lifecycle.Body(0, execution.Intent())));

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", _dir.Write("b.json", Lifecycle.Body(0, execution.Governance())));

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 409: The stream is not at the expected version");
        result.Error.ShouldContain("actualVersion: 1");
    }

    [Fact]
    public async Task The_expected_version_option_overrides_the_files()
    {
        var execution = new Lifecycle("app-override");
        await api.DevAsync("append", "--stream", execution.Stream, "--file", _dir.Write("a.json", Lifecycle.Body(0, execution.Intent())));

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", _dir.Write("b.json", Lifecycle.Body(0, execution.Governance())),
            "--expected-version", "1");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task A_lifecycle_violation_prints_the_ledgers_refusal_and_its_position()
    {
        var execution = new Lifecycle("app-violation");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent(), execution.Started()));

        var result = await api.DevAsync("append", "--stream", execution.Stream, "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 422: A lifecycle rule was broken; the ledger failed closed");
        result.Error.ShouldContain("reason: phase-order-violated");
        result.Error.ShouldContain("position: ");
        result.Error.ShouldContain(execution.Id("start"));
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(2);
    }

    [Fact]
    public async Task The_url_and_token_come_from_the_environment()
    {
        var execution = new Lifecycle("app-env");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));
        var environment = new Dictionary<string, string> { ["LEDGER_URL"] = LedgerApiFixture.Url, ["LEDGER_TOKEN"] = api.DevToken };

        var result = await api.RunWithEnvironmentAsync(environment, "append", "--stream", execution.Stream, "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
    }

    [Fact]
    public async Task An_unknown_token_is_refused_and_nothing_is_appended()
    {
        var execution = new Lifecycle("app-badtoken");
        var file = _dir.Write("events.json", Lifecycle.Body(0, execution.Intent()));

        var result = await api.RunAsync("--token", "not-a-token", "append", "--stream", execution.Stream, "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 401");
        (await api.StreamVersionAsync(execution.Stream)).ShouldBe(0);
    }

    [Fact]
    public async Task A_stream_that_is_not_an_execution_stream_is_refused()
    {
        var file = _dir.Write("events.json", Lifecycle.Body(0, new Lifecycle("x").Intent()));

        var result = await api.DevAsync("append", "--stream", "$emitters", "--file", file);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("invalid-stream");
    }

    private async Task<(string KeyFile, string Credentials)> RegisterSigningEmitterAsync(string name, string alg)
    {
        var keyFile = _dir.File(name + ".key");
        (await Cli.RunAsync("keys", "generate", "--alg", alg, "--out", keyFile, "--name", name)).ExitCode.ShouldBe(ExitCodes.Ok);
        var register = await api.AdminAsync("emitters", "register", "--name", name, "--domain", "gcp", "--public-key-file", keyFile, "--signatures-required");
        register.ExitCode.ShouldBe(ExitCodes.Ok, register.ToString());
        var credentials = _dir.File(name + ".json");
        (await api.AdminAsync("tokens", "mint", "--subject", name, "--out", credentials)).ExitCode.ShouldBe(ExitCodes.Ok);
        return (keyFile, credentials);
    }

    public void Dispose() => _dir.Dispose();
}
