using System.Text.Json;

namespace Ledger.Cli.Tests;

[Collection(LedgerApiGroup.Name)]
public sealed class TokensCommandTests(LedgerApiFixture api) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Mint_prints_only_the_token_and_the_token_authenticates()
    {
        (await api.AdminAsync("emitters", "register", "--name", "tok-a", "--domain", "gcp")).ExitCode.ShouldBe(ExitCodes.Ok);

        var result = await api.AdminAsync("tokens", "mint", "--subject", "tok-a");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var token = result.Output.Trim();
        token.ShouldStartWith("glt_");
        result.Error.ShouldContain("shown only now");
        var events = _dir.Write("e.json", Lifecycle.Body(0, new Lifecycle("tok-a-1", "gcp").Intent()));
        var append = await api.RunAsync("--token", token, "append", "--stream", "execution-tok-a-1", "--file", events);
        append.ExitCode.ShouldBe(ExitCodes.Ok, append.ToString());
    }

    [Fact]
    public async Task Mint_with_out_writes_an_owner_only_credentials_file_for_append()
    {
        (await api.AdminAsync("emitters", "register", "--name", "tok-b", "--domain", "gcp")).ExitCode.ShouldBe(ExitCodes.Ok);
        var path = _dir.File("tok-b.json");

        var result = await api.AdminAsync("tokens", "mint", "--subject", "tok-b", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldNotContain("glt_");
        FileModes.ShouldBeOwnerOnly(path);
        using (var document = JsonDocument.Parse(File.ReadAllText(path)))
        {
            document.RootElement.GetProperty("emitter").GetString().ShouldBe("tok-b");
            document.RootElement.GetProperty("token").GetString().ShouldStartWith("glt_" + result.Output.Trim() + "_");
        }

        var events = _dir.Write("e.json", Lifecycle.Body(0, new Lifecycle("tok-b-1", "gcp").Intent()));
        (await api.RunAsync("--credentials", path, "append", "--stream", "execution-tok-b-1", "--file", events)).ExitCode.ShouldBe(ExitCodes.Ok);
    }

    [Fact]
    public async Task Mint_an_admin_token()
    {
        var result = await api.AdminAsync("tokens", "mint", "--subject", "operator", "--role", "admin");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        var list = await api.RunAsync("--token", result.Output.Trim(), "emitters", "list");
        list.ExitCode.ShouldBe(ExitCodes.Ok, list.ToString());
    }

    [Fact]
    public async Task Mint_for_an_unknown_emitter_is_refused()
    {
        var result = await api.AdminAsync("tokens", "mint", "--subject", "no-such-emitter");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task Mint_with_an_expiry_in_the_past_is_refused()
    {
        var result = await api.AdminAsync("tokens", "mint", "--subject", "dev", "--expires-at", "2001-01-01T00:00:00Z");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("expiresAt: must be in the future");
    }

    [Fact]
    public async Task Mint_with_an_expiry_that_is_not_a_time_is_a_usage_error()
    {
        var result = await api.AdminAsync("tokens", "mint", "--subject", "dev", "--expires-at", "tomorrow");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
    }

    [Fact]
    public async Task Mint_with_an_unknown_role_is_a_usage_error()
    {
        var result = await api.AdminAsync("tokens", "mint", "--subject", "dev", "--role", "root");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("root");
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        var minted = await api.AdminAsync("tokens", "mint", "--subject", "dev");
        var token = minted.Output.Trim();
        var tokenId = token.Split('_')[1];

        var result = await api.AdminAsync("tokens", "revoke", tokenId);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldContain($"revoked token {tokenId}");
        var events = _dir.Write("e.json", Lifecycle.Body(0, new Lifecycle("tok-rev-1").Intent()));
        var append = await api.RunAsync("--token", token, "append", "--stream", "execution-tok-rev-1", "--file", events);
        append.ExitCode.ShouldBe(ExitCodes.ServerRefused, append.ToString());
        append.Error.ShouldContain("was revoked");
    }

    [Fact]
    public async Task Revoking_an_unknown_token_is_refused()
    {
        var result = await api.AdminAsync("tokens", "revoke", "ffffffffffffffff");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task Mint_never_overwrites_an_existing_credentials_file()
    {
        var path = _dir.Write("exists.json", "keep");

        var result = await api.AdminAsync("tokens", "mint", "--subject", "dev", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        File.ReadAllText(path).ShouldBe("keep");
    }

    public void Dispose() => _dir.Dispose();
}
