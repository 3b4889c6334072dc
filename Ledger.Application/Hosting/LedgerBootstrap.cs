using System.Text.Json;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;
using Ledger.Store;

namespace Ledger.Application.Hosting;

/// <summary>Tokens created on the first start of an empty data directory; the admin token exists nowhere else.</summary>
public sealed record FirstStart(string AdminToken, string DevToken);

/// <summary>
/// Opens a node: the data directory, the ledger key (created once, file mode 0600) and the store (migrations
/// applied). On an empty ledger it appends the genesis: the <c>$ledger</c> parameters, the <c>dev</c> emitter
/// and its token (written to <c>&lt;data-dir&gt;/dev-credentials.json</c>), and an admin token printed once.
/// </summary>
public static class LedgerBootstrap
{
    public const string KeyFileName = "ledger.key";
    public const string DevCredentialsFileName = "dev-credentials.json";
    public const string DevEmitter = "dev";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The store's connection string: the configured one, or for SQLite <c>&lt;data-dir&gt;/ledger.db</c>; null for
    /// PostgreSQL without one.
    /// </summary>
    public static string? StoreConnectionString(LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.ConnectionString) ? options.ConnectionString
            : options.Engine == StoreOptions.Sqlite ? $"Data Source={Path.Combine(Path.GetFullPath(options.DataDir), "ledger.db")}"
            : null;
    }

    /// <exception cref="ArgumentException">The options are invalid (<see cref="LedgerOptionsValidator"/>); nothing is created.</exception>
    public static async Task<LedgerNode> OpenAsync(LedgerOptions options, CancellationToken ct, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (LedgerOptionsValidator.Check(options) is [var first, ..])
        {
            throw new ArgumentException("Invalid ledger configuration: " + first, nameof(options));
        }

        var dataDir = Path.GetFullPath(options.DataDir);
        var createdDataDir = !Directory.Exists(dataDir);
        Directory.CreateDirectory(dataDir);
        IEventStore? store = null;
        try
        {
            var signer = LoadOrCreateKey(dataDir, options);
            var witnessedLogs = Witnessing.WitnessConfiguration.From(options.Witness);
            var witnesses = Witnessing.WitnessTargets.From(options, signer.Verifier);
            var peers = Federation.PeerDirectory.From(options);
            var witnessKey = Witnessing.WitnessKey.LoadOrCreate(dataDir, options.Witness.KeyName ?? options.Origin + "/witness");
            var connection = StoreConnectionString(options)
                ?? throw new InvalidOperationException("Ledger:ConnectionString is required for the postgres engine.");

            store = await EventStoreFactory.OpenAsync(
                new StoreOptions { Engine = options.Engine, ConnectionString = connection, Origin = options.Origin, TimeProvider = time ?? TimeProvider.System }, ct).ConfigureAwait(false);
            return new LedgerNode(store, signer, options, dataDir) { WitnessKey = witnessKey, WitnessedLogs = witnessedLogs, Witnesses = witnesses, Peers = peers };
        }
        catch
        {
            // A failed first open leaves nothing half-created: the data directory it made goes, with the key in it.
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            if (createdDataDir)
            {
                Directory.Delete(dataDir, recursive: true);
            }

            throw;
        }
    }

    private static NoteSigner LoadOrCreateKey(string dataDir, LedgerOptions options)
    {
        var path = Path.Combine(dataDir, KeyFileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            var key = PrivateKeyText.Import(text, out var name);
            return NoteSigner.Create(name ?? options.KeyName ?? options.Origin, key);
        }

        var keyName = options.KeyName ?? options.Origin;
        SigningKey created = options.KeyAlgorithm switch
        {
            "ecdsa-p256" => SigningKey.GenerateEcdsaP256(),
            "ed25519" => SigningKey.GenerateEd25519(),
            _ => throw new InvalidOperationException($"Ledger:KeyAlgorithm must be 'ecdsa-p256' or 'ed25519', not '{options.KeyAlgorithm}'."),
        };
        WriteSecret(path, PrivateKeyText.Export(created, keyName));
        return NoteSigner.Create(keyName, created);
    }

    /// <summary>Writes a file readable only by its owner, creating it with that mode (never widening an existing file).</summary>
    public static void WriteSecret(string path, string content)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, fileOptions);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    /// <summary>Writes <c>dev-credentials.json</c> as DESIGN §5 fixes it.</summary>
    public static void WriteDevCredentials(string dataDir, string token) =>
        WriteSecret(Path.Combine(dataDir, DevCredentialsFileName), JsonSerializer.Serialize(new { emitter = DevEmitter, token }) + "\n");
}
