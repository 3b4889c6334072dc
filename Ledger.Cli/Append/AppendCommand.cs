using System.CommandLine;
using System.Globalization;
using Ledger.Client;
using Ledger.Cli.Keys;
using Ledger.Domain.Crypto;

namespace Ledger.Cli.Append;

/// <summary><c>ledger append</c>: append events from a file to an execution stream, signing them with the emitter's key.</summary>
internal static class AppendCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var stream = new Option<string>("--stream") { Description = "The execution stream, execution-<id>.", Required = true };
        var file = new Option<string>("--file")
        {
            Description = "The events: an append body {\"expectedVersion\"?, \"events\": [...]}, a JSON array of events, or NDJSON (one event per line).",
            Required = true,
        };
        var key = new Option<string?>("--key") { Description = "The emitter's private key file: sign every event (replacing any signature in the file)." };
        var emitter = new Option<string?>("--emitter") { Description = "The emitter's registered name, signed into each statement (default: the credentials file's \"emitter\")." };
        var expectedVersion = new Option<long?>("--expected-version")
        {
            Description = "-1 any version, 0 the stream must not exist, n the stream must be at version n (default: the file's expectedVersion, else -1).",
        };
        var command = new Command("append", "Append events to an execution stream (emitter token).")
        {
            stream, file, key, emitter, expectedVersion,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var connection = global.Resolve(parse, host);
            var streamName = parse.GetRequiredValue(stream);
            using var events = EventFile.Read(parse.GetRequiredValue(file));
            var version = parse.GetValue(expectedVersion) ?? events.ExpectedVersion ?? -1;
            if (version < -1)
            {
                throw CliException.Usage(string.Create(CultureInfo.InvariantCulture, $"The expected version must be -1, 0 or a stream version, not {version}."));
            }

            SigningKey? signingKey = null;
            string? emitterName = null;
            if (parse.GetValue(key) is { } keyPath)
            {
                emitterName = parse.GetValue(emitter) ?? connection.Credentials?.Emitter
                    ?? throw CliException.Usage("Signing needs the emitter's name: pass --emitter NAME or --credentials FILE with an \"emitter\".");
                signingKey = KeyFiles.ReadSigningKey(keyPath);
            }

            using (signingKey)
            {
                using var client = LedgerClients.Authenticated(host, connection, signingKey, emitterName);
                var answer = await LedgerClients.CallAsync(async () =>
                {
                    try
                    {
                        return await client.AppendJsonAsync(streamName, version, events.Events, ct).ConfigureAwait(false);
                    }
                    catch (ArgumentException unsignable)
                    {
                        throw CliException.Usage(unsignable.Message); // an event of the file cannot be signed: nothing was sent
                    }
                }).ConfigureAwait(false);
                await Report(host.Output, answer).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task Report(TextWriter output, AppendResult answer)
    {
        await output.WriteLineAsync(answer.Replayed
            ? string.Create(CultureInfo.InvariantCulture,
                $"already appended (same event ids and content): {answer.Entries.Count} events in {answer.Stream}, stream version {answer.StreamVersion}")
            : string.Create(CultureInfo.InvariantCulture, $"appended {answer.Entries.Count} events to {answer.Stream}, stream version {answer.StreamVersion}"))
            .ConfigureAwait(false);
        foreach (var entry in answer.Entries)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  position {entry.Position}  version {entry.StreamVersion}  {entry.EventId}  leaf {entry.LeafHash}")).ConfigureAwait(false);
        }
    }
}
