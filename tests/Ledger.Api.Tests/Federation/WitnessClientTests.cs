using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Api.Witness;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Ledger.Api.Tests.Federation;

/// <summary>
/// The witness client in process: ledgers configured as each other's witnesses, submitting to each other through
/// <see cref="InProcessRouter"/>, on the system clock with short checkpoint intervals.
/// </summary>
public sealed class WitnessClientTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly InProcessRouter _router = new();
    private readonly List<string> _dirs = [];
    private readonly List<LedgerApp> _apps = [];

    private sealed record Peer(string Name, string Origin, string LogKey, string WitnessKey, string DataDir, string AdminToken);

    [Fact]
    public async Task Three_ledgers_each_carry_the_other_two_cosignatures_and_their_exports_verify_with_the_quorum()
    {
        var peers = await CreateAsync("a", "b", "c");
        var apps = new List<LedgerApp>();
        foreach (var peer in peers)
        {
            // Each ledger's trust: a tlog-policy file, its own key, the other two with their URLs, quorum: both.
            var others = peers.Where(o => o != peer).ToList();
            var file = Path.Combine(peer.DataDir, "witnesses.policy");
            await File.WriteAllTextAsync(file, PolicyText(peer, others, quorum: "all", urls: true));
            var settings = Settings(peer, others, []);
            settings["Ledger:WitnessPolicy"] = file;
            apps.Add(Start(peer, settings));
        }

        foreach (var (peer, app) in peers.Zip(apps))
        {
            var others = peers.Where(o => o != peer).ToList();
            var policy = PolicyText(peer, others, quorum: "all");
            var note = await WaitForAsync(app, "/v1/log/checkpoint", n => TlogPolicy.Parse(policy).MeetsQuorum(SignedNote.Parse(n), DateTimeOffset.UtcNow));
            var signed = SignedNote.Parse(note);
            signed.Signatures[0].Name.ShouldBe(peer.Origin, "the log's own signature comes first");
            signed.Signatures.Count.ShouldBe(3, note);
            (await WaitForAsync(app, "/tlog/checkpoint", n => SignedNote.Parse(n).Signatures.Count == 3)).ShouldNotBeNull();

            // Witness traffic keeps appending, so a newer checkpoint may not be cosigned yet at one instant: wait for
            // readiness to catch up (it gives up, and the assertion fails, if the quorum is never met again).
            var ready = await WaitForReadyAsync(app, r => r.GetProperty("status").GetString() == "ready");
            ready.GetProperty("status").GetString().ShouldBe("ready", ready.ToString());
            ready.GetProperty("witnesses").GetArrayLength().ShouldBe(2);

            // The exported bundle's checkpoints carry the cosignatures, and the verifier accepts it with the quorum.
            var (exit, report) = VerifyExport(await ExportAsync(app, peer), policy);
            exit.ShouldBe(0, report);
        }
    }

    [Fact]
    public async Task Receipts_are_issued_against_a_checkpoint_meeting_the_policy_and_a_witness_that_is_down_is_reported()
    {
        var peers = await CreateAsync("p", "q");
        var (p, q) = (peers[0], peers[1]);
        // p's policy: q's cosignature is the quorum; 'down' is listed with a URL nobody answers.
        var policyFile = Path.Combine(p.DataDir, "witnesses.policy");
        using var downSigningKey = Ledger.Domain.Crypto.SigningKey.GenerateEd25519();
        var downKey = NoteVerifier.CreateCosignatureV1("down.example/witness", downSigningKey.VerificationKey).VerifierKey;
        await File.WriteAllTextAsync(policyFile, $"""
            log {p.LogKey}
            witness q {q.WitnessKey} http://q.test/witness
            witness down {downKey} http://down.test/witness
            quorum q

            """);
        var settings = Settings(p, [], []);
        settings["Ledger:WitnessPolicy"] = policyFile;
        var pApp = Start(p, settings);
        Start(q, Settings(q, [p], []));

        await WaitForAsync(pApp, "/v1/log/checkpoint", n => SignedNote.Parse(n).Signatures.Any(s => s.Name == q.Origin + "/witness"));
        var receipt = await GetStringAsync(pApp, "/v1/log/receipt/0");
        receipt.ShouldContain("— " + q.Origin + "/witness ", Case.Sensitive, "the receipt's checkpoint carries the quorum's cosignature");

        var ready = await WaitForReadyAsync(pApp, r => r.GetProperty("witnesses")[1].GetProperty("lastError").ValueKind == JsonValueKind.String);
        ready.GetProperty("quorumMet").GetBoolean().ShouldBeTrue();
        var witnesses = ready.GetProperty("witnesses");
        witnesses[0].GetProperty("name").GetString().ShouldBe("q");
        witnesses[0].GetProperty("lastError").ValueKind.ShouldBe(JsonValueKind.Null);
        witnesses[1].GetProperty("name").GetString().ShouldBe("down");
        witnesses[1].GetProperty("cosignedSize").GetInt64().ShouldBe(0);
        witnesses[1].GetProperty("lag").GetInt64().ShouldBeGreaterThan(0);
        witnesses[1].GetProperty("lastError").GetString()!.ShouldContain("down.test");
    }

    [Fact]
    public async Task A_cosignature_that_does_not_verify_is_not_kept()
    {
        var peers = await CreateAsync("l");
        var l = peers[0];
        using var liarKey = Ledger.Domain.Crypto.SigningKey.GenerateEd25519();
        var liar = NoteVerifier.CreateCosignatureV1("liar.example/witness", liarKey.VerificationKey);
        var answered = 0;
        _router.Route("liar.test", _ =>
        {
            Interlocked.Increment(ref answered);
            // The configured key's name and id, but a signature that is not the key's: 8 bytes of time, 64 of junk.
            var raw = new byte[4 + 8 + 64];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(raw, liar.KeyId);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(raw.AsSpan(4), (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Random.Shared.NextBytes(raw.AsSpan(12));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"— {liar.Name} {Convert.ToBase64String(raw)}\n") };
        });
        var settings = Settings(l, [], []);
        settings["Ledger:Witnesses:0:Name"] = "liar";
        settings["Ledger:Witnesses:0:Url"] = "http://liar.test/witness";
        settings["Ledger:Witnesses:0:Key"] = liar.VerifierKey;
        var app = Start(l, settings);

        var ready = await WaitForReadyAsync(app, r => r.GetProperty("witnesses")[0].GetProperty("lastError").ValueKind == JsonValueKind.String);
        ready.GetProperty("witnesses")[0].GetProperty("lastError").GetString()!.ShouldContain("does not verify");
        answered.ShouldBeGreaterThan(0);
        (await app.Node.Store.GetCosignedSizesAsync()).ShouldBeEmpty();
        SignedNote.Parse(await GetStringAsync(app, "/v1/log/checkpoint")).Signatures.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_attestation_asked_for_right_after_the_execution_started_waits_for_the_cosignature_and_proves_it_running()
    {
        // p checkpoints hourly: the only checkpoint covering the execution is the one the attestation signs, and q's
        // cosignature, which p's policy requires, comes after it.
        var (p, pApp) = await QuorumOfOneAsync("01:00:00", "00:00:05");
        var story = new Story("attested-at-once", DateTimeOffset.UtcNow);
        await AppendAsync(pApp, p, story);

        using var client = pApp.CreateClient();
        using var response = await client.GetAsync($"/v1/executions/{story.Id}/attestation");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var policyText = await File.ReadAllTextAsync(Path.Combine(p.DataDir, "witnesses.policy"));
        var policy = TlogPolicy.Parse(policyText);
        var check = AttestationVerifier.Verify(
            text, new PeerTrust(p.Origin, NoteVerifier.Parse(p.LogKey), policy), ExecutionId.Parse(story.Id),
            new AttestationContext(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var verified = check.ShouldBeOfType<AttestationCheck.Verified>(check.Describe());
        verified.Execution.State.Status.ShouldBe(ExecutionStatus.Running);
        verified.Execution.Statement.Version.ShouldBe(5);
        var (exit, report) = VerifyExport(await ExportAsync(pApp, p), policyText);
        exit.ShouldBe(0, report);
    }

    [Fact]
    public async Task An_attestation_whose_witness_never_cosigns_is_unavailable_after_the_wait()
    {
        // q is never started: p's quorum cannot be met, and the attestation answers 503 (the asking peer fails closed).
        var (p, pApp) = await QuorumOfOneAsync("01:00:00", "00:00:01", startWitness: false);
        var story = new Story("never-cosigned", DateTimeOffset.UtcNow);
        await AppendAsync(pApp, p, story);

        using var client = pApp.CreateClient();
        using var response = await client.GetAsync($"/v1/executions/{story.Id}/attestation");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
        text.ShouldContain("https://ledger.dev/problems/unavailable");
        (await pApp.Node.Store.ReadStreamAsync(story.Stream, 1, Ledger.Store.ReadDirection.Forward, 10)).Count.ShouldBe(5, "the attestation appends nothing");
    }

    /// <summary>Ledger p whose policy needs q's cosignature (q witnesses p), p checkpointing every
    /// <paramref name="checkpointInterval"/>; q is started unless <paramref name="startWitness"/> is false.</summary>
    private async Task<(Peer P, LedgerApp App)> QuorumOfOneAsync(string checkpointInterval, string witnessTimeout, bool startWitness = true)
    {
        var peers = await CreateAsync("p", "q");
        var (p, q) = (peers[0], peers[1]);
        var policyFile = Path.Combine(p.DataDir, "witnesses.policy");
        await File.WriteAllTextAsync(policyFile, PolicyText(p, [q], quorum: "all", urls: true));
        var settings = Settings(p, [], []);
        settings["Ledger:WitnessPolicy"] = policyFile;
        settings["Ledger:CheckpointInterval"] = checkpointInterval;
        settings["Ledger:WitnessTimeout"] = witnessTimeout;
        var pApp = Start(p, settings);
        if (startWitness)
        {
            Start(q, Settings(q, [p], []));
        }

        return (p, pApp);
    }

    private static async Task AppendAsync(LedgerApp app, Peer peer, Story story)
    {
        using var credentials = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(peer.DataDir, "dev-credentials.json")));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credentials.RootElement.GetProperty("token").GetString());
        using var response = await client.PostAsync(
            $"/v1/streams/{story.Stream}/events", new StringContent(Story.Body(0, story.UpToStart()).ToJsonString(), Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }

        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Left behind.
            }
        }
    }

    /// <summary>Starts each ledger once (its keys and genesis), reads its keys and stops it.</summary>
    private async Task<List<Peer>> CreateAsync(params string[] names)
    {
        var peers = new List<Peer>();
        foreach (var name in names)
        {
            var dir = Directory.CreateTempSubdirectory("ledger-fed-").FullName;
            _dirs.Add(dir);
            var origin = name + ".example/ledger";
            using var app = new LedgerApp("sqlite", null, new Dictionary<string, string> { ["Ledger:Origin"] = origin }, dataDir: dir, systemClock: true);
            using var client = app.CreateClient();
            var logKey = (await client.GetStringAsync("/v1/log/key")).Trim();
            var witnessKey = (await client.GetStringAsync("/witness/key")).Trim();
            peers.Add(new Peer(name, origin, logKey, witnessKey, dir, app.FirstStart.AdminToken));
        }

        return peers;
    }

    private static Dictionary<string, string> Settings(Peer self, IEnumerable<Peer> witnessed, IEnumerable<Peer> witnesses)
    {
        var settings = new Dictionary<string, string>
        {
            ["Ledger:Origin"] = self.Origin,
            ["Ledger:CheckpointInterval"] = "00:00:00.5",
            ["Ledger:WitnessInterval"] = "00:00:01",
            ["Ledger:WitnessTimeout"] = "00:00:05",
        };
        foreach (var (peer, i) in witnessed.Select((p, i) => (p, i)))
        {
            settings[$"Ledger:Witness:Logs:{i}:Origin"] = peer.Origin;
            settings[$"Ledger:Witness:Logs:{i}:Keys:0"] = peer.LogKey;
        }

        foreach (var (peer, i) in witnesses.Select((p, i) => (p, i)))
        {
            settings[$"Ledger:Witnesses:{i}:Name"] = peer.Name;
            settings[$"Ledger:Witnesses:{i}:Url"] = $"http://{peer.Name}.test/witness";
            settings[$"Ledger:Witnesses:{i}:Key"] = peer.WitnessKey;
        }

        return settings;
    }

    private LedgerApp Start(Peer peer, Dictionary<string, string> settings)
    {
        var app = new LedgerApp(
            "sqlite", null, settings, dataDir: peer.DataDir, systemClock: true,
            services: s => s.AddHttpClient(HttpWitnessTransport.ClientName).ConfigurePrimaryHttpMessageHandler(_router.Handler));
        _apps.Add(app);
        _router.Route(peer.Name + ".test", app);
        return app;
    }

    private static string PolicyText(Peer log, IReadOnlyList<Peer> witnesses, string quorum, bool urls = false) =>
        $"log {log.LogKey}\n"
        + string.Concat(witnesses.Select(w => $"witness {w.Name} {w.WitnessKey}" + (urls ? $" http://{w.Name}.test/witness\n" : "\n")))
        + $"group peers {quorum} {string.Join(' ', witnesses.Select(w => w.Name))}\n"
        + "quorum peers\n";

    private static async Task<string> GetStringAsync(LedgerApp app, string path)
    {
        using var client = app.CreateClient();
        return await client.GetStringAsync(path);
    }

    private static async Task<string> WaitForAsync(LedgerApp app, string path, Func<string, bool> done)
    {
        using var client = app.CreateClient();
        var until = DateTime.UtcNow + Deadline;
        string last = "";
        while (DateTime.UtcNow < until)
        {
            using var response = await client.GetAsync(path);
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} did not become as expected within {Deadline}; last:\n{last}");
    }

    private static async Task<JsonElement> ReadyAsync(LedgerApp app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/healthz/ready");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> WaitForReadyAsync(LedgerApp app, Func<JsonElement, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        JsonElement last = default;
        while (DateTime.UtcNow < until)
        {
            last = await ReadyAsync(app);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"/healthz/ready did not become as expected within {Deadline}; last: {last}");
    }

    private static async Task<byte[]> ExportAsync(LedgerApp app, Peer peer)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", peer.AdminToken);
        using var response = await client.GetAsync("/v1/export");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        return bytes;
    }

    private static (int ExitCode, string Report) VerifyExport(byte[] bundle, string policy)
    {
        var path = Path.GetTempFileName();
        var policyPath = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bundle);
            File.WriteAllText(policyPath, policy);
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            var exit = Ledger.Verifier.Program.Run([path, "--policy", policyPath], output, output);
            return (exit, output.ToString());
        }
        finally
        {
            File.Delete(path);
            File.Delete(policyPath);
        }
    }
}
