using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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

            byte[] body;
            using (signingKey)
            {
                body = EventSigner.BuildBody(streamName, version, events.Events, emitterName, signingKey);
            }

            using var client = new LedgerClient(host, connection);
            using var content = LedgerClient.JsonContent(body);
            using var response = await client.SendAsync(
                HttpMethod.Post, "v1/streams/" + Uri.EscapeDataString(streamName) + "/events", content, authenticate: true, ct).ConfigureAwait(false);
            var answer = await LedgerClient.ReadJsonAsync(response, ct).ConfigureAwait(false);
            await Report(host.Output, streamName, answer).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task Report(TextWriter output, string stream, JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            await output.WriteLineAsync(answer.ValueKind == JsonValueKind.Undefined ? "appended" : answer.GetRawText()).ConfigureAwait(false);
            return;
        }

        var replayed = answer.TryGetProperty("replayed", out var r) && r.ValueKind == JsonValueKind.True;
        var version = answer.TryGetProperty("streamVersion", out var v) ? v.GetRawText() : "?";
        await output.WriteLineAsync(replayed
            ? $"already appended (same event ids and content): {entries.GetArrayLength()} events in {stream}, stream version {version}"
            : $"appended {entries.GetArrayLength()} events to {stream}, stream version {version}").ConfigureAwait(false);
        foreach (var entry in entries.EnumerateArray())
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  position {Text(entry, "position")}  version {Text(entry, "streamVersion")}  {Text(entry, "eventId")}  leaf {Text(entry, "leafHash")}"))
                .ConfigureAwait(false);
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()) : "?";
}
