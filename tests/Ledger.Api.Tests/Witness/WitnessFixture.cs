using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests.Witness;

/// <summary>The logs a witness suite's ledger is configured to witness, and that ledger (started on first use).</summary>
public sealed class WitnessFixture : IAsyncLifetime
{
    public const string ForkOrigin = "fork.example/ledger";

    private readonly Lock _gate = new();
    private Task<LedgerApp>? _app;

    public TestLog Cosign { get; } = new("peer.example/cosign");

    public TestLog Refusals { get; } = new("peer.example/refusals");

    public TestLog Empty { get; } = new("peer.example/empty");

    public TestLog Busy { get; } = new("peer.example/busy");

    /// <summary>The forked ledger's log key (both branches sign with it).</summary>
    public SigningKey ForkKey { get; } = SigningKey.GenerateEd25519();

    public NoteSigner ForkSigner => field ??= NoteSigner.Create(ForkOrigin, ForkKey);

    /// <summary>A second forked ledger, caught while the witness's process stops between its record and its flag.</summary>
    public const string StoppedOrigin = "stopped.example/ledger";

    public SigningKey StoppedKey { get; } = SigningKey.GenerateEd25519();

    public NoteSigner StoppedSigner => field ??= NoteSigner.Create(StoppedOrigin, StoppedKey);

    /// <summary>The configuration naming every log above.</summary>
    public IReadOnlyDictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>();
        var logs = new (string Origin, string Key)[]
        {
            (Cosign.Origin, Cosign.VerifierKey), (Refusals.Origin, Refusals.VerifierKey), (Empty.Origin, Empty.VerifierKey),
            (Busy.Origin, Busy.VerifierKey), (ForkOrigin, ForkSigner.Verifier.VerifierKey),
            (StoppedOrigin, StoppedSigner.Verifier.VerifierKey),
        };
        for (var i = 0; i < logs.Length; i++)
        {
            settings[$"Ledger:Witness:Logs:{i}:Origin"] = logs[i].Origin;
            settings[$"Ledger:Witness:Logs:{i}:Keys:0"] = logs[i].Key;
        }

        settings["Ledger:Witness:KeyName"] = "witness.example/w1";
        return settings;
    }

    public Task<LedgerApp> GetAsync(Func<Task<LedgerApp>> create)
    {
        lock (_gate)
        {
            return _app ??= StartAsync(create);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is { IsCompletedSuccessfully: true } started)
        {
            await (await started).DisposeAsync();
        }

        foreach (var log in new[] { Cosign, Refusals, Empty, Busy })
        {
            log.Dispose();
        }

        ForkSigner.Dispose();
        ForkKey.Dispose();
        StoppedSigner.Dispose();
        StoppedKey.Dispose();
    }

    private static async Task<LedgerApp> StartAsync(Func<Task<LedgerApp>> create)
    {
        var app = await create();
        _ = app.Services;
        return app;
    }
}
