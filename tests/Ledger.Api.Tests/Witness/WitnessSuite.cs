using System.Net;
using System.Text;
using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Log;
using Ledger.Domain.Notes;
using Ledger.Store;

namespace Ledger.Api.Tests.Witness;

/// <summary>
/// The ledger as a C2SP tlog-witness, over HTTP, on each engine (derived classes): every add-checkpoint status with its
/// body, the records in <c>$witness</c> and <c>$federation</c>, a forked ledger, and concurrent submissions.
/// </summary>
public abstract partial class WitnessSuite(WitnessFixture world) : IAsyncLifetime
{
    private const string ProblemBase = "https://ledger.dev/problems/";
    private HttpClient? _http;
    private LedgerApp? _app;

    protected WitnessFixture World { get; } = world;

    protected LedgerApp App => _app ?? throw new InvalidOperationException("Not initialized.");

    protected HttpClient Http => _http ?? throw new InvalidOperationException("Not initialized.");

    protected abstract string Engine { get; }

    /// <summary>The witnessing ledger, configured with <see cref="WitnessFixture.Settings"/>.</summary>
    protected abstract Task<LedgerApp> StartAsync();

    /// <summary>A second node of the same ledger.</summary>
    protected abstract LedgerApp AnotherNode(LedgerApp first);

    /// <summary>A connection string for a new, empty store (one branch of a forked ledger).</summary>
    protected abstract Task<string> NewStoreAsync(string hint);

    public async Task InitializeAsync()
    {
        _app = await StartAsync();
        _http = _app.CreateClient();
    }

    public Task DisposeAsync()
    {
        _http?.Dispose();
        return Task.CompletedTask;
    }

    protected async Task<HttpResponseMessage> SubmitAsync(string body, HttpClient? http = null)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        return await (http ?? Http).PostAsync("/witness/add-checkpoint", content);
    }

    /// <summary>Asserts 200 and returns the cosignature line, checked against the witness's published vkey.</summary>
    protected async Task<NoteSignature> CosignedAsync(HttpResponseMessage response, string submittedNote)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldStartWith("\u2014 witness.example/w1 ");
        text.ShouldEndWith("\n");
        text.Count(c => c == '\n').ShouldBe(1);
        var vkey = (await Http.GetStringAsync("/witness/key")).TrimEnd('\n');
        var verifier = NoteVerifier.Parse(vkey);
        verifier.SignatureType.ShouldBe(NoteSignatureType.CosignatureV1);
        var note = SignedNote.Parse(submittedNote);
        var check = new NoteVerifierSet(verifier).Open(note.Text + "\n" + text);
        var verified = check.ShouldBeOfType<NoteCheck.Verified>();
        CosignatureV1.TryGetTimestamp(verified.VerifiedSignatures[0], out var timestamp).ShouldBeTrue();
        timestamp.ShouldBeGreaterThan(0);
        DateTimeOffset.FromUnixTimeSeconds(timestamp).ShouldBe(App.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        return verified.VerifiedSignatures[0];
    }

    protected static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("type").GetString().ShouldBe(ProblemBase + slug, text);
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrEmpty();
        return problem;
    }

    protected static async Task ConflictAsync(HttpResponseMessage response, long latest)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/x.tlog.size");
        text.ShouldBe(FormattableString.Invariant($"{latest}\n"));
    }

    /// <summary>The entries of a stream, read back from the store.</summary>
    protected async Task<IReadOnlyList<LedgerEntry>> StreamAsync(string stream) =>
        await App.Node.Store.ReadStreamAsync(stream, 1, ReadDirection.Forward, 1000);

    protected async Task<IReadOnlyList<LedgerEntry>> RecordsOfAsync(string stream, string origin) =>
        [.. (await StreamAsync(stream)).Where(e => e.Data.GetProperty("origin").GetString() == origin)];

    protected async Task<JsonElement> LogViewAsync(string origin)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync("/witness/logs"));
        return document.RootElement.GetProperty("logs").EnumerateArray().Single(l => l.GetProperty("origin").GetString() == origin).Clone();
    }
}

/// <summary>The witness suite on SQLite.</summary>
public sealed class SqliteWitnessTests(WitnessFixture world) : WitnessSuite(world), IClassFixture<WitnessFixture>
{
    protected override string Engine => "sqlite";

    protected override Task<LedgerApp> StartAsync() => World.GetAsync(() => Task.FromResult(new LedgerApp(Engine, null, World.Settings())));

    protected override LedgerApp AnotherNode(LedgerApp first) => new(Engine, null, World.Settings(), dataDir: first.DataDir);

    protected override Task<string> NewStoreAsync(string hint) =>
        Task.FromResult($"Data Source={Path.Combine(Directory.CreateTempSubdirectory("ledger-fork-").FullName, hint + ".db")}");
}

/// <summary>The witness suite on PostgreSQL.</summary>
[Collection(Ledger.Testing.PostgresTestGroup.Name)]
public sealed class PostgresWitnessTests(Ledger.Testing.PostgresFixture postgres, WitnessFixture world) : WitnessSuite(world), IClassFixture<WitnessFixture>
{
    protected override string Engine => "postgres";

    protected override Task<LedgerApp> StartAsync() =>
        World.GetAsync(async () => new LedgerApp(Engine, await postgres.Server.CreateDatabaseAsync("witness"), World.Settings()));

    protected override LedgerApp AnotherNode(LedgerApp first) => new(Engine, first.ConnectionString, World.Settings(), dataDir: first.DataDir);

    protected override Task<string> NewStoreAsync(string hint) => postgres.Server.CreateDatabaseAsync(hint);
}
