using System.Text.Json;

namespace Ledger.Cli.Tests;

[Collection(LedgerApiGroup.Name)]
public sealed class EmittersCommandTests(LedgerApiFixture api) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Register_with_a_public_key_file_adds_the_emitter_with_that_key()
    {
        var keyFile = _dir.File("em.key");
        var publicKey = (await Cli.RunAsync("keys", "generate", "--out", keyFile)).Output.Trim();
        var publicFile = _dir.Write("em.pub", publicKey + "\n");

        var result = await api.AdminAsync("emitters", "register", "--name", "reg-pub", "--domain", "gcp", "--domain", "aws",
            "--public-key-file", publicFile, "--signatures-required");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain("registered emitter 'reg-pub' at position ");
        var entry = await FindAsync("reg-pub");
        entry.GetProperty("publicKey").GetString().ShouldBe(publicKey);
        entry.GetProperty("signaturesRequired").GetBoolean().ShouldBeTrue();
        entry.GetProperty("domains").EnumerateArray().Select(d => d.GetString()).ShouldBe(["gcp", "aws"]);
    }

    [Fact]
    public async Task Register_with_a_private_key_file_registers_its_public_key()
    {
        var keyFile = _dir.File("em.key");
        var publicKey = (await Cli.RunAsync("keys", "generate", "--alg", "ed25519", "--out", keyFile, "--name", "reg-priv")).Output.Trim();

        var result = await api.AdminAsync("emitters", "register", "--name", "reg-priv", "--domain", "gcp", "--public-key-file", keyFile);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        (await FindAsync("reg-priv")).GetProperty("publicKey").GetString().ShouldBe(publicKey);
    }

    [Fact]
    public async Task Register_with_an_invalid_public_key_file_sends_nothing()
    {
        var size = await api.TreeSizeAsync();
        var publicFile = _dir.Write("bad.pub", "ecdsa-p256:AAAA\n");

        var result = await api.AdminAsync("emitters", "register", "--name", "reg-bad", "--domain", "gcp", "--public-key-file", publicFile);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("does not hold a valid public key");
        (await api.TreeSizeAsync()).ShouldBe(size);
    }

    [Fact]
    public async Task Register_with_signatures_required_but_no_key_is_a_usage_error()
    {
        var result = await api.AdminAsync("emitters", "register", "--name", "reg-nokey", "--domain", "gcp", "--signatures-required");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--public-key-file");
    }

    [Fact]
    public async Task Register_with_an_emitter_token_is_refused_as_forbidden()
    {
        var result = await api.DevAsync("emitters", "register", "--name", "reg-forbidden", "--domain", "gcp");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 403");
        result.Error.ShouldContain("admin token");
    }

    [Fact]
    public async Task Register_with_an_unknown_token_prints_the_401_problem()
    {
        var result = await api.RunAsync("--token", "glt_0123456789abcdef_notthesecretnotthesecret", "emitters", "register", "--name", "x", "--domain", "gcp");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 401: A valid bearer token is required");
        result.Error.ShouldContain("detail: The bearer token is not known.");
        result.Error.ShouldContain("type: https://ledger.dev/problems/unauthenticated");
    }

    [Fact]
    public async Task Register_with_an_invalid_name_prints_the_validation_errors()
    {
        var result = await api.AdminAsync("emitters", "register", "--name", "not a name!", "--domain", "gcp");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 400: The request is invalid");
        result.Error.ShouldContain("type: https://ledger.dev/problems/validation-failed");
        result.Error.ShouldContain("body: ");
    }

    [Fact]
    public async Task Revoke_stops_the_emitters_tokens()
    {
        (await api.AdminAsync("emitters", "register", "--name", "rev-me", "--domain", "gcp")).ExitCode.ShouldBe(ExitCodes.Ok);
        var credentials = _dir.File("rev.json");
        (await api.AdminAsync("tokens", "mint", "--subject", "rev-me", "--out", credentials)).ExitCode.ShouldBe(ExitCodes.Ok);

        var result = await api.AdminAsync("emitters", "revoke", "rev-me", "--reason", "decommissioned");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain("revoked emitter 'rev-me'");
        (await FindAsync("rev-me")).GetProperty("isRevoked").GetBoolean().ShouldBeTrue();
        var events = _dir.Write("e.json", Lifecycle.Body(null, new Lifecycle("rev-1", "gcp").Intent()));
        var append = await api.RunAsync("--credentials", credentials, "append", "--stream", "execution-rev-1", "--file", events);
        append.ExitCode.ShouldBe(ExitCodes.ServerRefused, append.ToString());
        append.Error.ShouldContain("HTTP 401");
    }

    [Fact]
    public async Task Revoking_an_unknown_emitter_is_refused_as_not_found()
    {
        var result = await api.AdminAsync("emitters", "revoke", "nobody-here");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 404");
        result.Error.ShouldContain("nobody-here");
    }

    [Fact]
    public async Task List_prints_the_registry_with_the_dev_emitter()
    {
        var result = await api.AdminAsync("emitters", "list");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        document.RootElement.EnumerateArray().ShouldContain(e => e.GetProperty("name").GetString() == "dev");
    }

    private async Task<JsonElement> FindAsync(string name)
    {
        var list = await api.AdminAsync("emitters", "list");
        list.ExitCode.ShouldBe(ExitCodes.Ok, list.ToString());
        using var document = JsonDocument.Parse(list.Output);
        return document.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name).Clone();
    }

    public void Dispose() => _dir.Dispose();
}
