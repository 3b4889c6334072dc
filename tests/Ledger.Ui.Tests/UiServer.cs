using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Ledger.Projections.Engine;
using Ledger.Projections.Tests.Workload;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Ui.Tests;

/// <summary>
/// The real API host (Kestrel on a loopback port, in process) on a fresh SQLite ledger, optionally filled with the
/// generated multi-cloud workload spread over about a week of ledger time, its projections caught up, and a viewer
/// token minted through the admin API.
/// </summary>
public sealed class UiServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<global::Program> _factory;
    private readonly DirectoryInfo _dataDir;

    private UiServer(WebApplicationFactory<global::Program> factory, DirectoryInfo dataDir, TestClock clock, string baseUrl)
    {
        _factory = factory;
        _dataDir = dataDir;
        Clock = clock;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public TestClock Clock { get; }

    public IServiceProvider Services => _factory.Services;

    public LedgerNode Node => Services.GetRequiredService<LedgerNode>();

    public string AdminToken { get; private set; } = "";

    public string DevToken { get; private set; } = "";

    public string ViewerToken { get; private set; } = "";

    public Workload? Workload { get; private set; }

    /// <summary>Starts a server; with <paramref name="workloadChunks"/> &gt; 0 appends that many chunks of the workload, a quiet 14 hours apart.</summary>
    /// <param name="workloadChunks">Chunks of the workload to append.</param>
    /// <param name="eventsPerChunk">Events per chunk.</param>
    /// <param name="settings">More configuration (e.g. <c>Ledger:Peers:0:Origin</c>).</param>
    public static async Task<UiServer> StartAsync(int workloadChunks, int eventsPerChunk = 450, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("ledger-ui-");
        var clock = new TestClock();
        var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
            b.UseSetting("Ledger:DataDir", dataDir.FullName);
            b.UseSetting("Ledger:Engine", "sqlite");
            // The workload names parents on its own origin: the ledger must be that origin for them to be local.
            b.UseSetting("Ledger:Origin", Workload.Origin);
            // The workload decides, cascades, sweeps and proves by itself (as the API would); the background jobs
            // wait, so that they never act on a simulation they are not part of.
            foreach (var job in (ReadOnlySpan<string>)["SweepInterval", "CascadeInterval", "ProofInterval", "CheckpointInterval", "WitnessInterval", "FollowInterval"])
            {
                b.UseSetting("Ledger:" + job, "01:00:00");
            }

            b.UseSetting("Ledger:Projections:PollInterval", "00:00:00.100");
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                b.UseSetting(name, value);
            }

            b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        });
        factory.UseKestrel();
        factory.StartServer();
        var server = new UiServer(factory, dataDir, clock, string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var first = factory.Services.GetRequiredService<GenesisService>().FirstStart ?? throw new InvalidOperationException("The ledger was not created fresh.");
        server.AdminToken = first.AdminToken;
        server.DevToken = first.DevToken;
        server.ViewerToken = await server.MintAsync("compliance-team", "viewer");
        if (workloadChunks > 0)
        {
            await server.FillAsync(workloadChunks, eventsPerChunk);
        }

        await server.CaughtUpAsync();
        return server;
    }

    /// <summary>Mints a token through the admin API.</summary>
    public async Task<string> MintAsync(string subject, string role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/tokens") { Content = JsonContent.Create(new { subject, role }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Revokes a token through the admin API.</summary>
    public async Task RevokeAsync(string token)
    {
        var id = token.Split('_')[1];
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/v1/admin/tokens/" + id);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs a checkpoint, exports the whole log and runs the offline verifier on it against the ledger's key.</summary>
    public async Task ExportVerifiesAsync()
    {
        using (var sign = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/checkpoint"))
        {
            sign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            using var signed = await Http.SendAsync(sign);
            signed.StatusCode.ShouldBe(HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());
        }

        var vkey = (await Http.GetStringAsync("/v1/log/key")).Trim();
        var path = Path.Combine(_dataDir.FullName, "export.ndjson");
        await File.WriteAllBytesAsync(path, await Http.GetByteArrayAsync("/v1/export"));
        using var output = new StringWriter();
        var exit = Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output);
        exit.ShouldBe(0, output.ToString());
    }

    /// <summary>Waits until every projection has caught up with the log.</summary>
    public async Task CaughtUpAsync()
    {
        var engine = Services.GetRequiredService<ProjectionEngine>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await engine.GetStatusAsync()).Any(s => s.Lag > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The projections did not catch up within two minutes.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is left behind.
        }
    }

    private async Task FillAsync(int chunks, int eventsPerChunk)
    {
        var workload = new Workload(Node.Store, seed: 12, start: Clock.GetUtcNow().AddSeconds(1));
        for (var i = 0; i < chunks; i++)
        {
            await workload.AppendAsync(eventsPerChunk);
            if (i < chunks - 1)
            {
                workload.Advance(TimeSpan.FromHours(14));
            }
        }

        await workload.CheckpointAndProveAsync(Node.Signer);
        // The ledger's clock moves to the end of the simulation: "this week" is the week the workload ran in.
        Clock.Advance(workload.Now - Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        Workload = workload;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
