using System.CommandLine;
using System.Globalization;
using System.Net;

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

            var pathAndQuery = "v1/export" + (query.Count > 0 ? "?" + string.Join('&', query) : "");

            using var client = new LedgerClient(host, global.Resolve(parse, host));
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(HttpMethod.Get, pathAndQuery, null, authenticate: client.Connection.Token is not null, ct,
                    HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            }
            catch (CliException failure) when (failure.ExitCode == ExitCodes.ServerRefused && failure.Message.StartsWith("HTTP 404", StringComparison.Ordinal)
                && !failure.Message.Contains("/problems/", StringComparison.Ordinal))
            {
                throw new CliException(ExitCodes.ServerRefused,
                    $"This ledger has no export endpoint (GET /v1/export answered 404 Not Found); it is too old to export bundles.\n{failure.Message}");
            }

            using (response)
            {
                var bytes = await WriteAsync(response, path, ct).ConfigureAwait(false);
                await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({bytes} bytes)")).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // Streams to a temporary file beside the target and renames it on success, so a broken download leaves no bundle.
    private static async Task<long> WriteAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        var partial = path + ".partial";
        try
        {
            await using (var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, 1 << 16, ct).ConfigureAwait(false);
                }
            }

            File.Move(partial, path);
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            TryDelete(partial);
            throw e is HttpRequestException || e.InnerException is HttpRequestException || e is HttpIOException
                ? new CliException(ExitCodes.ConnectionError, $"The download broke off: {e.Message}")
                : CliException.Usage($"Cannot write '{path}': {e.Message}");
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
