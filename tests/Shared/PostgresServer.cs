using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Ledger.Testing;

/// <summary>
/// A private, throw-away PostgreSQL server for tests and benchmarks: Debian's binaries from
/// /usr/lib/postgresql/*/bin, a temporary data directory owned by the <c>postgres</c> user, a free
/// TCP port on 127.0.0.1, the unix socket inside the temporary directory, <c>fsync</c> on.
/// </summary>
/// <remarks>
/// Fails loudly (no silent skip) when PostgreSQL is not installed: ./test.sh installs it.
/// <see cref="DisposeAsync"/> stops the server and deletes the directory; a process exit handler
/// does the same if the host dies without disposing. Thread-safe: databases may be created from
/// parallel tests.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dataDir;
    private readonly string _binDir;
    private readonly bool _asPostgresUser;
    private int _databaseCounter;
    private int _stopped;

    private PostgresServer(string root, string binDir, bool asPostgresUser, int port)
    {
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Connection string of the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>Finds the binaries, runs initdb and starts the server.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        var binDir = FindBinDirectory();
        var asPostgresUser = Environment.UserName == "root";

        // As root the server runs as 'postgres', which must reach the directory: $TMPDIR may be under /root.
        var root = Path.Combine(asPostgresUser ? "/tmp" : Path.GetTempPath(), "ledger-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var server = new PostgresServer(root, binDir, asPostgresUser, FreePort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root], ct).ConfigureAwait(false);
            }

            await server.RunToolAsync(
                "initdb",
                ["-D", server._dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
                ct).ConfigureAwait(false);
            var settings = string.Join(
                ' ',
                "-c listen_addresses=127.0.0.1",
                "-p " + server.Port.ToString(CultureInfo.InvariantCulture),
                "-c unix_socket_directories=" + root,
                "-c fsync=on",
                "-c synchronous_commit=on",
                "-c max_connections=400",
                "-c shared_buffers=128MB");
            await server.RunToolAsync(
                "pg_ctl",
                ["-D", server._dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", settings, "start"],
                ct).ConfigureAwait(false);
            AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
            return server;
        }
        catch (Exception ex)
        {
            var log = Path.Combine(root, "server.log");
            var tail = File.Exists(log) ? File.ReadAllText(log) : "(no server log)";
            await server.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("Could not start the private PostgreSQL server: " + ex.Message + "\nserver log:\n" + tail, ex);
        }
    }

    /// <summary>Connection string for a database on this server.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Timeout = 30,
            CommandTimeout = 60,
        }.ConnectionString;

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken ct = default)
    {
        var name = (prefix.ToLowerInvariant() + "_" + Interlocked.Increment(ref _databaseCounter).ToString(CultureInfo.InvariantCulture))
            .Replace('-', '_').Replace('.', '_');
        if (name.Length > 60)
        {
            name = name[^60..];
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("CREATE DATABASE \"" + name + "\" TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (immediate shutdown) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
        {
            try
            {
                await RunToolAsync("pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already gone; the directory is removed below either way.
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temporary directory is left behind.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LEDGER_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "initdb")))
        {
            return fromEnvironment;
        }

        const string debianRoot = "/usr/lib/postgresql";
        var candidates = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException(
                "PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb. Run ./test.sh, which installs Debian's postgresql, or set LEDGER_PG_BIN.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var path = Path.Combine(_binDir, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], ct)
            : RunAsync(path, arguments, ct);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + fileName);
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        output.Append(await stdout.ConfigureAwait(false)).Append(await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output}"));
        }
    }
}
