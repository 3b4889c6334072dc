using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Log;
using Ledger.Store;

namespace Ledger.Store.LoadDriver;

/// <summary>
/// Appends a load to a ledger store and prints one line per acknowledged append:
/// <c>ack {requestId} {firstPosition} {count}</c>, then <c>done</c>. Event ids are
/// <c>{requestId}-{n}</c> with requestId <c>{tag}-{writer}-{i}</c>, so a checker can tell which
/// append every entry came from.
/// </summary>
/// <remarks>
/// Usage: <c>--engine sqlite|postgres --connection CS --origin O --tag T [--writers 4] [--appends 100]
/// [--events 3] [--streams 8]</c>. Appends use expected version "any" on <c>--streams</c> streams per writer.
/// </remarks>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Parse(args);
        var engine = options.GetValueOrDefault("engine", StoreOptions.Sqlite);
        var writers = Int(options, "writers", 4);
        var appends = Int(options, "appends", 100);
        var events = Int(options, "events", 3);
        var streams = Int(options, "streams", 8);
        var tag = options["tag"];
        var output = Console.Out;
        var gate = new Lock();

        await using var store = await EventStoreFactory.OpenAsync(new StoreOptions
        {
            Engine = engine,
            ConnectionString = options["connection"],
            Origin = options["origin"],
        });

        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < appends; i++)
            {
                var requestId = string.Create(CultureInfo.InvariantCulture, $"{tag}-{writer}-{i}");
                var stream = string.Create(CultureInfo.InvariantCulture, $"load-{tag}-{writer}-{i % streams}");
                var batch = Enumerable.Range(0, events)
                    .Select(n => new ProposedEvent(
                        new EmitterStatement(
                            stream,
                            string.Create(CultureInfo.InvariantCulture, $"{requestId}-{n}"),
                            "load.appended.v1",
                            "load",
                            "load-driver",
                            null,
                            JsonSerializer.SerializeToElement(new { writer, i, n }),
                            null),
                        null))
                    .ToList();
                var result = await store.AppendAsync(new AppendRequest(stream, AppendRequest.AnyVersion, DateTimeOffset.UtcNow, batch));
                if (result is not AppendResult.Appended appended)
                {
                    throw new InvalidOperationException($"Append {requestId} was not appended: {result}");
                }

                lock (gate)
                {
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture, $"ack {requestId} {appended.Entries[0].Position} {appended.Entries.Count}"));
                    output.Flush();
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);
        output.WriteLine("done");
        output.Flush();
        return 0;
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
