using System.CommandLine;
using System.Globalization;
using Ledger.Client;

namespace Ledger.Cli.Log;

/// <summary><c>ledger export</c>: stream a verification bundle (<c>GET /v1/export</c>) to a file.</summary>
internal static class ExportCommand
{
    public static Command Build(CliHost host, GlobalOptions global)
    {
        var output = new Option<string>("--out") { Description = "The bundle file to create (never overwritten).", Required = true };
        var from = new Option<long?>("--from") { Description = "Full export: the first position (default 0)." };
        var to = new Option<long?>("--to") { Description = "Full export: the end, the size of a signed checkpoint (default the latest)." };
        var stream = new Option<string?>("--stream") { Description = "Export one stream's entries with inclusion proofs." };
        var lineage = new Option<string?>("--lineage") { Description = "Export one execution (its id) and its descendants with inclusion proofs." };
        var command = new Command("export", "Download a verification bundle for the offline verifier (ledger-verify): the full log by default.")
        {
            output, from, to, stream, lineage,
        };
        CommandActions.Set(command, host, async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(output);
            InputFiles.RequireAbsent(path);
            var query = new List<string>();
            if (parse.GetValue(from) is { } f)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"from={f}"));
            }

            if (parse.GetValue(to) is { } t)
            {
                query.Add(string.Create(CultureInfo.InvariantCulture, $"to={t}"));
            }

            if (parse.GetValue(stream) is { } s)
            {
                query.Add("stream=" + Uri.EscapeDataString(s));
            }

            if (parse.GetValue(lineage) is { } l)
            {
                query.Add("lineage=" + Uri.EscapeDataString(l));
            }

            if (query.Count(q => !q.StartsWith("from=", StringComparison.Ordinal) && !q.StartsWith("to=", StringComparison.Ordinal)) + (query.Any(q => q.StartsWith("from=", StringComparison.Ordinal) || q.StartsWith("to=", StringComparison.Ordinal)) ? 1 : 0) > 1)
            {
                throw CliException.Usage("Ask for one kind of export: --from/--to (full log), --stream, or --lineage.");
            }

            using var client = LedgerClients.Create(host, global.Resolve(parse, host));
            var bytes = await LedgerClients.CallAsync(async () =>
            {
                try
                {
                    return await WriteAsync(client, string.Join('&', query), path, ct).ConfigureAwait(false);
                }
                catch (LedgerProblemException failure) when (failure.Status == 404 && failure.Problem.Slug is null)
                {
                    throw new CliException(ExitCodes.ServerRefused,
                        $"This ledger has no export endpoint (GET /v1/export answered 404 Not Found); it is too old to export bundles.\n{failure.Message}");
                }
            }).ConfigureAwait(false);
            await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({bytes} bytes)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Streams to a temporary file beside the target and renames it on success, so a broken download leaves no bundle.
    private static async Task<long> WriteAsync(Ledger.Client.LedgerClient client, string query, string path, CancellationToken ct)
    {
        var partial = path + ".partial";
        try
        {
            await using (var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await client.ExportAsync(query, target, ct).ConfigureAwait(false);
            }

            File.Move(partial, path);
            return new FileInfo(path).Length;
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            TryDelete(partial);
            throw CliException.Usage($"Cannot write '{path}': {e.Message}");
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
