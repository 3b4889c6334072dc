using System.CommandLine;
using Ledger.Domain.Crypto;

namespace Ledger.Cli.Keys;

/// <summary><c>ledger keys generate|public</c>: emitter signing keys, offline.</summary>
internal static class KeysCommand
{
    public const string EcdsaP256 = "ecdsa-p256";
    public const string Ed25519Name = "ed25519";

    public static Command Build(CliHost host)
    {
        var keys = new Command("keys", "Create and inspect emitter signing keys (offline).");
        keys.Subcommands.Add(Generate(host));
        keys.Subcommands.Add(Public(host));
        return keys;
    }

    private static Command Generate(CliHost host)
    {
        var alg = new Option<string>("--alg") { Description = "Key algorithm.", DefaultValueFactory = _ => EcdsaP256 };
        alg.AcceptOnlyFromAmong(EcdsaP256, Ed25519Name);
        var output = new Option<string>("--out") { Description = "The private key file to create (mode 0600; never overwritten).", Required = true };
        var name = new Option<string>("--name")
        {
            Description = "Key name recorded in an Ed25519 signer key (PRIVATE+KEY+NAME+…); usually the emitter's name.",
            DefaultValueFactory = _ => "emitter",
        };
        var command = new Command("generate", "Generate a private key file and print its public key text (for 'emitters register').")
        {
            alg, output, name,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(output);
            InputFiles.RequireAbsent(path);
            using var key = Create(parse.GetRequiredValue(alg));
            string text;
            try
            {
                text = PrivateKeyText.Export(key, parse.GetRequiredValue(name));
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage($"--name is not a valid key name: {e.Message}");
            }

            InputFiles.WriteSecret(path, text);
            await host.Output.WriteLineAsync(key.VerificationKey.Text).ConfigureAwait(false);
            await host.Error.WriteLineAsync($"wrote {path} (key id {key.VerificationKey.KeyId})").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Public(CliHost host)
    {
        var keyFile = new Option<string>("--key") { Description = "A private key file.", Required = true };
        var command = new Command("public", "Print the public key text of a private key file.") { keyFile };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            using var key = KeyFiles.ReadSigningKey(parse.GetRequiredValue(keyFile));
            await host.Output.WriteLineAsync(key.VerificationKey.Text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SigningKey Create(string alg)
    {
        if (alg == EcdsaP256)
        {
            return SigningKey.GenerateEcdsaP256();
        }

        if (!Domain.Crypto.Ed25519.IsSupported)
        {
            throw CliException.Usage("Ed25519 is not available with this machine's OpenSSL; use --alg ecdsa-p256.");
        }

        return SigningKey.GenerateEd25519();
    }
}
