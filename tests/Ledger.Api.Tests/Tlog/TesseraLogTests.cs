using System.Reflection;
using System.Text;
using Ledger.Domain.Notes;
using Ledger.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.FileProviders;

namespace Ledger.Api.Tests.Tlog;

/// <summary>
/// Tessera's test log (tests/vectors/tessera-testdata-log, a tlog-tiles log written by another implementation),
/// served as static files and read back by <see cref="TlogTileClient"/>, the client that also reads the ledger's
/// <c>/tlog/</c>: the client and the ledger agree with a log neither of them wrote.
/// </summary>
public sealed class TesseraLogTests : IAsyncLifetime
{
    private const string LogKey = "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";

    private static readonly string[] Words =
        ["one", "two", "three", "four", "five", "six", "seven", "eit", "nain", "ten", "ileven", "twelf", "threeten", "fourten", "fivten"];

    private static readonly string LogFolder = Path.Combine(
        typeof(TesseraLogTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "tests", "vectors", "tessera-testdata-log");

    private WebApplication? _server;
    private HttpClient? _http;

    public static TheoryData<int> Sizes => [.. Enumerable.Range(0, 16)];

    private HttpClient Http => _http ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        Directory.Exists(LogFolder).ShouldBeTrue(LogFolder);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _server = builder.Build();
        _server.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(LogFolder),
            RequestPath = "/testdata",
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
        await _server.StartAsync();
        _http = _server.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Every_checkpoint_of_the_tessera_log_verifies_against_its_tiles_and_bundles(int size)
    {
        var client = new TlogTileClient(Http, "/testdata/");

        var (_, checkpoint) = await client.ReadCheckpointAsync(new NoteVerifierSet(NoteVerifier.Parse(LogKey)), $"checkpoint.{size}");
        var tree = await client.ReadTreeAsync(checkpoint);

        checkpoint.Origin.ShouldBe("example.com/log/testdata");
        checkpoint.Size.ShouldBe(size);
        tree.Entries.Select(e => Encoding.ASCII.GetString(e)).ShouldBe(Words.Take(size));
        client.Fetched.ShouldBe(size == 0
            ? [$"checkpoint.{size}"]
            : [$"checkpoint.{size}", $"tile/entries/000.p/{size}", $"tile/0/000.p/{size}"]);
    }

    [Fact]
    public async Task The_latest_tessera_checkpoint_is_the_one_at_size_15()
    {
        var client = new TlogTileClient(Http, "/testdata/");

        var (note, checkpoint) = await client.ReadCheckpointAsync(new NoteVerifierSet(NoteVerifier.Parse(LogKey)));

        checkpoint.Size.ShouldBe(15);
        note.Format().ShouldBe(await File.ReadAllTextAsync(Path.Combine(LogFolder, "checkpoint.15")));
        (await client.ReadTreeAsync(checkpoint)).Entries.Count.ShouldBe(15);
    }

    [Fact]
    public async Task A_checkpoint_whose_root_the_tessera_tiles_do_not_give_is_refused()
    {
        var client = new TlogTileClient(Http, "/testdata/");
        var (_, at14) = await client.ReadCheckpointAsync(new NoteVerifierSet(NoteVerifier.Parse(LogKey)), "checkpoint.14");
        var forged = new Checkpoint(at14.Origin, 15, at14.RootHash.Span);

        var error = await Should.ThrowAsync<TileMismatchException>(() => client.ReadTreeAsync(forged));

        error.Message.ShouldContain("the checkpoint says " + Convert.ToBase64String(at14.RootHash.Span));
    }

    [Theory]
    [InlineData("tile/0/000.p/15", 32 * 7, "tile/0/000.p/15: hash 7 ")]
    [InlineData("tile/entries/000.p/15", 3, "tile/0/000.p/15: hash 0 ")]
    [InlineData("tile/entries/000.p/15", 0, "tile/entries/000.p/15: Entry 0 at byte 0 declares")]
    public async Task A_flipped_byte_in_a_tessera_tile_or_bundle_is_caught(string path, int offset, string expected)
    {
        using var http = new HttpClient(new FlipByte("/testdata/" + path, offset) { InnerHandler = _server!.GetTestServer().CreateHandler() })
        {
            BaseAddress = Http.BaseAddress,
        };
        var client = new TlogTileClient(http, "/testdata/");
        var (_, checkpoint) = await client.ReadCheckpointAsync(new NoteVerifierSet(NoteVerifier.Parse(LogKey)), "checkpoint.15");

        var error = await Should.ThrowAsync<TileMismatchException>(() => client.ReadTreeAsync(checkpoint));

        error.Message.ShouldStartWith(expected);
    }

    /// <summary>Flips the bits of one byte of one path's response body.</summary>
    private sealed class FlipByte(string path, int offset) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri?.AbsolutePath != path)
            {
                return response;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            body[offset] ^= 0xff;
            response.Content = new ByteArrayContent(body);
            return response;
        }
    }
}
