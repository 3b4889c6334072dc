using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Api.Tests.EndToEnd;

/// <summary>
/// The built API (Ledger.Api.dll next to its project) started as a separate OS process on a free port, as an
/// operator would start it; stopped with SIGTERM like a service manager would, or killed with SIGKILL like a
/// crash or an OOM killer would.
/// </summary>
public sealed partial class LedgerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private LedgerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The admin token the first start printed, or null when this start did not create the ledger.</summary>
    public string? AdminToken => AdminTokenLine().Match(Output) is { Success: true } m ? m.Groups[1].Value : null;

    public static string ApiAssembly =>
        typeof(LedgerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LedgerApi").Value!;

    /// <summary>Starts <c>dotnet Ledger.Api.dll --data-dir DIR --urls http://127.0.0.1:PORT [more]</c> and waits until it answers /healthz.</summary>
    public static Task<LedgerProcess> StartAsync(string dataDir, string workingDirectory, params string[] more) =>
        StartAsync(dataDir, workingDirectory, FreePort(), more);

    /// <summary>As above on a given port (ledgers that must know each other's addresses before they start).</summary>
    public static async Task<LedgerProcess> StartAsync(string dataDir, string workingDirectory, int port, params string[] more)
    {
        var dll = Path.GetFullPath(ApiAssembly);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Ledger.Api is not built (it is a project reference of the tests).", dll);
        }

        var address = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[] { dll, "--data-dir", dataDir, "--urls", address.ToString().TrimEnd('/') }.Concat(more))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new LedgerProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet."), address);
        try
        {
            await process.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>dotnet Ledger.Api.dll ARGS</c> (no data directory or address added) until it exits; for start-ups
    /// that must fail. Killed after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.GetFullPath(ApiAssembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The ledger did not exit within {timeout}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the API on a PostgreSQL database (<c>--engine postgres --connection-string CS</c>).</summary>
    public static Task<LedgerProcess> StartOnPostgresAsync(string dataDir, string workingDirectory, string connectionString, params string[] more) =>
        StartAsync(dataDir, workingDirectory, ["--engine", "postgres", "--connection-string", connectionString, .. more]);

    /// <summary>
    /// SIGKILL (what <see cref="Process.Kill(bool)"/> sends on Linux): no shutdown, no flush, no finally; the process is
    /// gone when this returns.
    /// </summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The ledger exited with {_process.ExitCode} before it answered:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy machine; try again.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The ledger did not answer /healthz within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A port free on the loopback interface now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Admin token \(shown only now, stored hashed\): (glt_[A-Za-z0-9_-]+)")]
    private static partial Regex AdminTokenLine();
}
