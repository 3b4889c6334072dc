using System.Globalization;
using System.Text;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// Three ledger processes that witness each other (docs/FEDERATION.md): each submits its checkpoints to the
/// other two and cosigns theirs, under tlog-policy files that require both cosignatures.
/// </summary>
public sealed class WitnessingProcessTests : IDisposable
{
    private static readonly string[] Names = ["a", "b", "c"];
    private readonly string _root = Directory.CreateTempSubdirectory("ledger-witnessing-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still be closing its files; the temporary directory is cleaned up later.
        }
    }

    [Fact]
    public async Task Three_ledger_processes_each_carry_the_other_twos_cosignatures_and_their_exports_verify_under_the_policy()
    {
        var ports = new List<int>();
        while (ports.Count < 3)
        {
            var port = LedgerProcess.FreePort();
            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        // First start: each ledger creates its log key and its witness key.
        var logKeys = new string[3];
        var witnessKeys = new string[3];
        for (var i = 0; i < 3; i++)
        {
            await using var first = await StartAsync(i, ports[i]);
            using var http = new HttpClient { BaseAddress = first.Address };
            logKeys[i] = (await http.GetStringAsync("/v1/log/key")).Trim();
            witnessKeys[i] = (await http.GetStringAsync("/witness/key")).Trim();
            (await first.StopAsync()).ShouldBe(0, first.Output);
        }

        var policies = new string[3];
        var running = new List<LedgerProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var policy = new StringBuilder().Append("log ").Append(logKeys[i]).Append('\n');
                var more = new List<string>();
                var others = Enumerable.Range(0, 3).Where(j => j != i).ToList();
                foreach (var (j, k) in others.Select((j, k) => (j, k)))
                {
                    policy.Append(CultureInfo.InvariantCulture, $"witness {Names[j]} {witnessKeys[j]} http://127.0.0.1:{ports[j]}/witness\n");
                    more.AddRange([$"--Ledger:Witness:Logs:{k}:Origin", Origin(j), $"--Ledger:Witness:Logs:{k}:Keys:0", logKeys[j]]);
                }

                policy.Append(CultureInfo.InvariantCulture, $"group peers all {string.Join(' ', others.Select(j => Names[j]))}\nquorum peers\n");
                policies[i] = Path.Combine(_root, Names[i] + ".policy");
                await File.WriteAllTextAsync(policies[i], policy.ToString());
                running.Add(await StartAsync(i, ports[i], ["--Ledger:WitnessPolicy", policies[i], .. more]));
            }

            for (var i = 0; i < 3; i++)
            {
                using var http = new HttpClient { BaseAddress = running[i].Address };
                var note = await CosignedCheckpointAsync(http);
                note.ShouldNotBeNull($"{Names[i]}'s checkpoint did not carry two cosignatures in time:\n{running[i].Output}");
                foreach (var j in Enumerable.Range(0, 3).Where(j => j != i))
                {
                    note.ShouldContain("— " + witnessKeys[j].Split('+')[0] + " ", Case.Sensitive, $"{Names[j]} cosigned {Names[i]}'s checkpoint");
                }

                var bundle = Path.Combine(_root, Names[i] + ".bundle");
                await File.WriteAllBytesAsync(bundle, await http.GetByteArrayAsync("/v1/export"));
                using var report = new StringWriter();
                Ledger.Verifier.Program.Run([bundle, "--policy", policies[i]], report, report).ShouldBe(0, report.ToString());
            }
        }
        finally
        {
            foreach (var process in running)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static string Origin(int i) => Names[i] + ".example/ledger";

    private Task<LedgerProcess> StartAsync(int i, int port, params string[] more) =>
        LedgerProcess.StartAsync(
            Path.Combine(_root, Names[i]), _root, port,
            ["--Ledger:Origin", Origin(i), "--Ledger:CheckpointInterval", "00:00:01", .. more]);

    /// <summary>The checkpoint once it carries three signature lines (its own and two cosignatures); null after a minute.</summary>
    private static async Task<string?> CosignedCheckpointAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await http.GetAsync(new Uri("/v1/log/checkpoint", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                var note = await response.Content.ReadAsStringAsync();
                if (note.Split('\n').Count(line => line.StartsWith("— ", StringComparison.Ordinal)) >= 3)
                {
                    return note;
                }
            }

            await Task.Delay(200);
        }

        return null;
    }
}
