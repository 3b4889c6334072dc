using Ledger.Domain.Crypto;

namespace Ledger.Cli.Tests;

public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Generate_ecdsa_writes_an_owner_only_key_file_and_prints_its_public_key()
    {
        var path = _dir.File("emitter.key");

        var result = await Cli.RunAsync("keys", "generate", "--alg", "ecdsa-p256", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        FileModes.ShouldBeOwnerOnly(path);
        using var key = PrivateKeyText.Import(File.ReadAllText(path));
        key.ShouldBeOfType<EcdsaP256SigningKey>();
        result.Output.Trim().ShouldBe(key.VerificationKey.Text);
        result.Output.ShouldStartWith("ecdsa-p256:");
    }

    [Fact]
    public async Task Generate_defaults_to_ecdsa_p256()
    {
        var result = await Cli.RunAsync("keys", "generate", "--out", _dir.File("k"));

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldStartWith("ecdsa-p256:");
    }

    [Fact]
    public async Task Generate_ed25519_writes_a_signer_key_with_the_given_name()
    {
        var path = _dir.File("ed.key");

        var result = await Cli.RunAsync("keys", "generate", "--alg", "ed25519", "--out", path, "--name", "gcp-gov");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        File.ReadAllText(path).ShouldStartWith("PRIVATE+KEY+gcp-gov+");
        FileModes.ShouldBeOwnerOnly(path);
        using var key = PrivateKeyText.Import(File.ReadAllText(path));
        result.Output.Trim().ShouldBe(key.VerificationKey.Text);
        result.Output.ShouldStartWith("ed25519:");
    }

    [Fact]
    public async Task Generate_never_overwrites_an_existing_file()
    {
        var path = _dir.Write("existing.key", "precious");

        var result = await Cli.RunAsync("keys", "generate", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("already exists");
        File.ReadAllText(path).ShouldBe("precious");
    }

    [Fact]
    public async Task Generate_with_an_unknown_algorithm_is_a_usage_error()
    {
        var path = _dir.File("rsa.key");

        var result = await Cli.RunAsync("keys", "generate", "--alg", "rsa", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("rsa");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Generate_with_an_invalid_ed25519_key_name_is_a_usage_error()
    {
        var path = _dir.File("bad-name.key");

        var result = await Cli.RunAsync("keys", "generate", "--alg", "ed25519", "--out", path, "--name", "has space+plus");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--name");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Public_prints_the_public_key_of_a_key_file()
    {
        var path = _dir.File("k.key");
        var generated = await Cli.RunAsync("keys", "generate", "--out", path);

        var result = await Cli.RunAsync("keys", "public", "--key", path);

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        result.Output.ShouldBe(generated.Output);
    }

    [Fact]
    public async Task Public_of_a_file_that_is_not_a_key_is_an_input_error()
    {
        var path = _dir.Write("not-a-key", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var result = await Cli.RunAsync("keys", "public", "--key", path);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("is not a private key file");
        result.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Public_of_a_missing_file_is_an_input_error()
    {
        var result = await Cli.RunAsync("keys", "public", "--key", _dir.File("missing.key"));

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("Cannot read the key file");
    }

    public void Dispose() => _dir.Dispose();
}
