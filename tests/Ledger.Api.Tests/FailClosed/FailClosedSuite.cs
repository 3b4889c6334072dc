using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.EndToEnd;
using Ledger.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ledger.Api.Tests.FailClosed;

/// <summary>
/// Fail closed under faults, against real OS processes of the API on one engine (a derived class per engine): break
/// something (SIGKILL right after a halt, in the middle of a cascade or a sweep, a client that hangs up mid-request,
/// children racing their parent's halt from many tasks), then check that nothing that should have ended is still
/// allowed, that everything that should end does end within a bounded wait, and that the exported log verifies
/// offline. Timing decides only which path a run takes (a kill that comes after the cascade finished is a valid run);
/// every path is checked the same way.
/// </summary>
public abstract class FailClosedSuite(ITestOutputHelper output) : IAsyncLifetime
{
    protected const string Origin = "ledger.local/log";

    // The ledger ends within this after a restart; generous for a loaded 2-core machine, far below "never".
    private static readonly TimeSpan EndWithin = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("ledger-failclosed-").FullName;
    private string? _connectionString;
    private string? _adminToken;

    protected ITestOutputHelper Output => output;

    private string DataDir => Path.Combine(_root, "data");

    /// <summary>A new PostgreSQL database for this test, or null for SQLite in the data directory.</summary>
    protected abstract Task<string?> CreateDatabaseAsync();

    public async Task InitializeAsync() => _connectionString = await CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in the temporary directory.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_halt_committed_just_before_a_kill_ends_every_child_after_the_restart()
    {
        var parent = new Story(NewId("parent"), DateTimeOffset.UtcNow);
        var children = ChildrenOf(parent, 200);
        await using var stalled = await StallCascadesAsync();
        await using (var first = await StartNodeAsync())
        {
            await first.Client.StartExecutionAsync(parent);
            await first.Client.StartExecutionsAsync(children);
            await first.Client.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
            await first.Process.KillAsync();
        }

        await using var restarted = await StartNodeAsync();
        var atOnce = await NoneAllowedAsync(restarted.Client, children, "parent-halted");
        if (stalled is not null)
        {
            // No node could run the cascade yet, so this checked the decision itself, not the cascade's work.
            atOnce.ShouldAllBe(d => d.Status == "running");
            await stalled.DisposeAsync();
        }

        await EndsAsync(restarted.Client, children, "halted", "parent-halted");
        await restarted.Client.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_kill_in_the_middle_of_a_cascade_through_a_tree_is_finished_after_the_restart()
    {
        var parent = new Story(NewId("tree"), DateTimeOffset.UtcNow);
        var children = ChildrenOf(parent, 40);
        var grandchildren = children.SelectMany(c => ChildrenOf(c, 25)).ToList();
        Story[] descendants = [.. children, .. grandchildren];
        DateTimeOffset killed;
        await using (var first = await StartNodeAsync())
        {
            await first.Client.StartExecutionAsync(parent);
            await first.Client.StartExecutionsAsync(children);
            await first.Client.StartExecutionsAsync(grandchildren);

            // The ledger refuses a drifted measurement: it halts the parent itself (422) and owes the tree a cascade.
            using var refused = await first.Client.AppendAsync(parent.Stream, Story.Body(5, parent.Verified(measurement: Story.Digest("tampered image"))));
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.Clone();
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, problem.GetRawText());
            problem.GetProperty("reason").GetString().ShouldBe("measurement-drift");
            var halt = problem.GetProperty("position").GetInt64();

            // Kill as soon as the first cascade entry is in the log (or give up waiting: the check after the restart is the same).
            var clock = Stopwatch.StartNew();
            while (!await first.Client.HasEntryAtAsync(halt + 1) && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(2);
            }

            await first.Process.KillAsync();
            killed = DateTimeOffset.UtcNow;
            output.WriteLine($"killed {clock.ElapsedMilliseconds} ms after the halt");
        }

        await using var restarted = await StartNodeAsync();
        await ReportEndedBeforeAsync(restarted.Client, killed, descendants.Length, "parent-halted");
        await NoneAllowedAsync(restarted.Client, descendants, "parent-halted");
        await EndsAsync(restarted.Client, descendants, "halted", "parent-halted");
        await restarted.Client.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_kill_in_the_middle_of_a_silence_sweep_is_finished_after_the_restart()
    {
        var now = DateTimeOffset.UtcNow;
        var silent = Enumerable.Range(0, 300).Select(i => new Story(NewId("silent"), now)).ToList();
        DateTimeOffset killed;
        await using (var first = await StartNodeAsync())
        {
            await first.Client.StartExecutionsAsync(silent);

            // From now on a verification is due within two seconds of the previous one (or of the start): none comes.
            var configured = await first.Client.ConfigureAsync(TimeSpan.FromSeconds(2));
            var clock = Stopwatch.StartNew();
            while (!await first.Client.HasEntryAtAsync(configured + 1) && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(2);
            }

            await first.Process.KillAsync();
            killed = DateTimeOffset.UtcNow;
            output.WriteLine($"killed {clock.ElapsedMilliseconds} ms after the parameters changed");
        }

        await using var restarted = await StartNodeAsync();
        await ReportEndedBeforeAsync(restarted.Client, killed, silent.Count, "runtime-verification-missed");
        await NoneAllowedAsync(restarted.Client, silent, "runtime-verification-missed");
        await EndsAsync(restarted.Client, silent, "halted", "runtime-verification-missed");
        await restarted.Client.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task A_client_hanging_up_during_a_halt_leaves_either_the_whole_halt_or_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var parents = Enumerable.Range(0, 5).Select(i => new Story(NewId("hangup"), now)).ToList();
        var families = parents.ToDictionary(p => p.Id, p => ChildrenOf(p, 40));
        await using var node = await StartNodeAsync();
        await node.Client.StartExecutionsAsync(parents);
        await node.Client.StartExecutionsAsync(families.Values.SelectMany(c => c));

        // The halting request, given up by its client after 0, 1, 2, 5 or 20 ms.
        int[] patience = [0, 1, 2, 5, 20];
        for (var i = 0; i < parents.Count; i++)
        {
            using var hangUp = new CancellationTokenSource();
            var send = node.Client.AppendAsync(parents[i].Stream, Story.Body(5, parents[i].Halted()), hangUp.Token);
            hangUp.CancelAfter(patience[i]);
            try
            {
                using var answer = await send;
                answer.StatusCode.ShouldBe(HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
            }
            catch (OperationCanceledException)
            {
                // Hung up; whether the halt landed is what the checks below find out.
            }
        }

        await QuietAsync(node.Client);
        var landed = 0;
        foreach (var parent in parents)
        {
            var decision = await node.Client.DecisionAsync(parent.Id);
            if (decision.Status == "halted")
            {
                landed++;
                decision.Reason.ShouldBe("emitter-reported");
                await NoneAllowedAsync(node.Client, families[parent.Id], "parent-halted");
                await EndsAsync(node.Client, families[parent.Id], "halted", "parent-halted");
            }
            else
            {
                // The halt did not land: nothing of it did. The parent and every child are running and allowed.
                decision.ShouldBe(new Decision(parent.Id, true, "running", null));
                (await node.Client.DecisionsAsync(families[parent.Id].Select(c => c.Id))).ShouldAllBe(d => d.Allowed && d.Status == "running");
            }
        }

        output.WriteLine($"{landed} of {parents.Count} halts landed despite the hang-up");
        await node.Client.ExportAndVerifyAsync();
    }

    [Fact]
    public async Task Children_racing_their_parents_halt_from_many_tasks_never_get_in_after_it()
    {
        await using var node = await StartNodeAsync();
        await RaceAsync([node.Client], node.Client);
    }

    /// <summary>
    /// 64 tasks declare, start and verify children and grandchildren of one running parent through
    /// <paramref name="nodes"/> (in turn), while <paramref name="halter"/> halts the parent. Afterwards no emitter
    /// event of the family is in the log after the halt, every member ends, and none is allowed.
    /// </summary>
    protected async Task RaceAsync(IReadOnlyList<LedgerClient> nodes, LedgerClient halter)
    {
        var now = DateTimeOffset.UtcNow;
        var parent = new Story(NewId("raced"), now);
        await nodes[0].StartExecutionAsync(parent);
        var family = new ConcurrentDictionary<string, Story>(StringComparer.Ordinal);
        var started = 0;
        using var stop = new CancellationTokenSource();

        async Task RaceOneAsync(int task)
        {
            var client = nodes[task % nodes.Count];
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                var child = new Story($"{parent.Id}-t{task}-{k}", now, parent: (Origin, parent.Id), expiresAt: parent.ExpiresAt);
                family[child.Id] = child;
                if (!await StepsAsync(client, child, child.UpToStart()))
                {
                    continue;
                }

                Interlocked.Increment(ref started);
                var grandchild = new Story(child.Id + "-g", now, parent: (Origin, child.Id), expiresAt: parent.ExpiresAt);
                family[grandchild.Id] = grandchild;
                if (await StepsAsync(client, grandchild, grandchild.UpToStart()))
                {
                    await StepsAsync(client, child, child.Verified(1), child.Verified(2));
                    await StepsAsync(client, grandchild, grandchild.Verified(1));
                }
            }
        }

        var racers = Enumerable.Range(0, 64).Select(t => Task.Run(() => RaceOneAsync(t))).ToList();
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref started) < 32 && clock.Elapsed < TimeSpan.FromSeconds(30) && !racers.Any(r => r.IsFaulted))
        {
            await Task.Delay(10);
        }

        var halt = await halter.AppendCreatedAsync(parent.Stream, Story.Body(5, parent.Halted()));
        await Task.Delay(750); // The racers go on against the halted parent.
        await stop.CancelAsync();
        await Task.WhenAll(racers);
        output.WriteLine($"{Volatile.Read(ref started)} children started, {family.Count} executions tried; the halt is at {halt}");

        var members = family.Values.ToList();
        await EndsAsync(halter, members, null, null);
        var entries = await halter.EntriesAsync(0);
        var streams = members.Select(m => m.Stream).ToHashSet(StringComparer.Ordinal);
        var afterHalt = entries.Where(e => e.Position > halt && streams.Contains(e.Stream) && e.Emitter != "$ledger").ToList();
        afterHalt.ShouldBeEmpty("an emitter's event of a descendant was accepted after the parent's halt: " +
            string.Join(", ", afterHalt.Take(5).Select(e => $"{e.Position} {e.Stream} {e.Type}")));
        entries.Where(e => streams.Contains(e.Stream) && e.Type == "execution.intent-declared.v1").ShouldAllBe(e => e.Position < halt);
        foreach (var node in nodes)
        {
            await NoneAllowedAsync(node, members, null);
        }

        await halter.ExportAndVerifyAsync();
    }

    protected async Task<LedgerNode> StartNodeAsync(params string[] more)
    {
        // Short intervals, so that a test waits seconds: checkpoints every second, cascades looked for every quarter
        // second (a denial or halt also wakes the job), the silence sweep twice a second.
        string[] arguments =
        [
            "--Ledger:CheckpointInterval", "00:00:01", "--Ledger:CascadeInterval", "00:00:00.250", "--Ledger:SweepInterval", "00:00:00.500", .. more,
        ];
        var process = _connectionString is null
            ? await LedgerProcess.StartAsync(DataDir, _root, arguments)
            : await LedgerProcess.StartOnPostgresAsync(DataDir, _root, _connectionString, arguments);
        _adminToken ??= process.AdminToken ?? throw new InvalidOperationException("The first start printed no admin token:\n" + process.Output);
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "dev-credentials.json")));
        var devToken = credentials.RootElement.GetProperty("token").GetString()!;
        return new LedgerNode(process, new LedgerClient(process.Address, devToken, _adminToken));
    }

    protected static string NewId(string hint) => hint + "-" + Guid.NewGuid().ToString("N")[..10];

    private static List<Story> ChildrenOf(Story parent, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Story($"{parent.Id}-{i}", parent.Now, parent: (Origin, parent.Id), expiresAt: parent.ExpiresAt))];

    /// <summary>Submits the events one request each; true when all were appended, false at the first refusal or conflict.</summary>
    private static async Task<bool> StepsAsync(LedgerClient client, Story story, params JsonObject[] events)
    {
        foreach (var e in events)
        {
            using var response = await client.AppendAsync(story.Stream, Story.Body(-1, e));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                // Refused (the ledger ended the execution) or already ended (409): the racer moves on. Anything else is a bug.
                response.StatusCode.ShouldBeOneOf([HttpStatusCode.UnprocessableEntity, HttpStatusCode.Conflict], text);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Stands in for another node that leads the cascade job and is stuck, until disposed; null where one node runs
    /// every job (SQLite), where whether the cascade already ran when the decisions are asked is up to timing.
    /// </summary>
    protected virtual Task<IAsyncDisposable?> StallCascadesAsync() => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Every execution's decision is allowed:false now (with <paramref name="reason"/> when given); returns them.</summary>
    private static async Task<IReadOnlyList<Decision>> NoneAllowedAsync(LedgerClient client, IEnumerable<Story> executions, string? reason)
    {
        var decisions = await client.DecisionsAsync(executions.Select(e => e.Id));
        var allowed = decisions.Where(d => d.Allowed).ToList();
        allowed.ShouldBeEmpty($"{allowed.Count} executions are still allowed: " + string.Join(", ", allowed.Take(5)));
        if (reason is not null)
        {
            decisions.Where(d => d.Reason != reason).ShouldBeEmpty();
        }

        return decisions;
    }

    /// <summary>
    /// Waits (at most <see cref="EndWithin"/>) until every execution has ended with <paramref name="status"/> and
    /// <paramref name="reason"/> (any terminal status and any reason when null).
    /// </summary>
    private static async Task EndsAsync(LedgerClient client, IEnumerable<Story> executions, string? status, string? reason)
    {
        var open = executions.Select(e => e.Id).ToList();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var decisions = await client.DecisionsAsync(open);
            decisions.Where(d => d.Allowed).ShouldBeEmpty();
            var ended = decisions.Where(d => d.Ended).ToList();
            ended.Where(d => (status is not null && d.Status != status) || (reason is not null && d.Reason != reason)).ShouldBeEmpty();
            open = [.. decisions.Where(d => !d.Ended).Select(d => d.ExecutionId)];
            if (open.Count == 0)
            {
                return;
            }

            clock.Elapsed.ShouldBeLessThan(EndWithin, $"{open.Count} executions did not end, e.g. {string.Join(", ", open.Take(5))}");
            await Task.Delay(200);
        }
    }

    /// <summary>Tells which path the run took: how many executions the ledger had ended before the kill.</summary>
    private async Task ReportEndedBeforeAsync(LedgerClient client, DateTimeOffset killed, int of, string reason)
    {
        var ends = (await client.EntriesAsync(0))
            .Where(e => e.Emitter == "$ledger" && e.Data.TryGetProperty("reason", out var r) && r.GetString() == reason)
            .ToList();
        output.WriteLine($"{ends.Count(e => e.RecordedAt <= killed)} of {of} executions had been ended by the ledger before the kill, {ends.Count(e => e.RecordedAt > killed)} after the restart");
    }

    /// <summary>Waits until the log has stopped growing for a second (requests still in flight on the server have finished).</summary>
    private static async Task QuietAsync(LedgerClient client)
    {
        var size = await client.SignCheckpointAsync();
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(1000);
            var now = await client.SignCheckpointAsync();
            if (now == size)
            {
                return;
            }

            size = now;
        }
    }

    /// <summary>A running API process and a client of it; disposing kills what is left of the process.</summary>
    protected sealed class LedgerNode(LedgerProcess process, LedgerClient client) : IAsyncDisposable
    {
        public LedgerProcess Process => process;

        public LedgerClient Client => client;

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await process.DisposeAsync();
        }
    }
}
