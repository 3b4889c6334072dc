using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Bench;

/// <summary>
/// The real API host (<c>Ledger.Api</c>'s <c>Program</c>, production environment, Kestrel on a loopback port, in
/// process, background jobs on) on a fresh database, with an HTTP client holding the dev emitter's token.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<global::Program> _factory;

    private BenchHost(WebApplicationFactory<global::Program> factory, HttpClient http)
    {
        _factory = factory;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _factory.Services;

    public LedgerNode Node => Services.GetRequiredService<LedgerNode>();

    /// <summary>Starts a host; <paramref name="settings"/> are extra configuration keys (e.g. <c>Ledger:SweepInterval</c>).</summary>
    public static BenchHost Start(
        string engine, string connectionString, string dataDir, string origin, int connections, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        Directory.CreateDirectory(dataDir);
        var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("urls", $"http://127.0.0.1:{port}");
            b.UseSetting("Ledger:DataDir", dataDir);
            b.UseSetting("Ledger:Engine", engine);
            b.UseSetting("Ledger:ConnectionString", connectionString);
            b.UseSetting("Ledger:Origin", origin);
            b.UseSetting("Logging:LogLevel:Default", "Error");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                b.UseSetting(key, value);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var token = factory.Services.GetRequiredService<GenesisService>().FirstStart?.DevToken
            ?? throw new InvalidOperationException("The benchmark ledger was not created fresh.");
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new BenchHost(factory, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync().ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
