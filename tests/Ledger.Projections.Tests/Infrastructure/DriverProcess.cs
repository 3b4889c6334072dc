using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Ledger.Projections.Tests.Infrastructure;

/// <summary>
/// Runs tests/Ledger.Projections.Driver as a separate OS process and follows the positions it reports
/// (<c>position {name} {position}</c> lines, printed inside each batch's transaction just before it commits).
/// </summary>
internal sealed class DriverProcess : IDisposable
{
    private readonly Process _process;
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Task _stdout;
    private readonly Task<string> _stderr;
    private bool _caughtUp;

    private DriverProcess(Process process)
    {
        _process = process;
        _stdout = Task.Run(ReadOutputAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static DriverProcess Start(string engine, string store, string projections, string origin, int batch, int commitDelayMilliseconds)
    {
        var driver = typeof(DriverProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectionDriver").Value!;
        if (!File.Exists(driver))
        {
            throw new FileNotFoundException("The projection driver is not built (it is a project reference of the tests).", driver);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            driver, "--engine", engine, "--store", store, "--projections", projections, "--origin", origin,
            "--batch", batch.ToString(CultureInfo.InvariantCulture), "--commit-delay-ms", commitDelayMilliseconds.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        return new DriverProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the projection driver."));
    }

    public long Position(string name)
    {
        lock (_gate)
        {
            return _positions.GetValueOrDefault(name);
        }
    }

    /// <summary>Waits until the driver reports <paramref name="name"/> about to commit at least <paramref name="position"/>.</summary>
    public async Task WaitForPositionAsync(string name, long position, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Position(name) < position)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var stderr = await StandardErrorAsync();
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture, $"The driver reached {Position(name)} of {position} on {name} (exited: {_process.HasExited}). stderr: {stderr}"));
            }

            await Task.Delay(5);
        }
    }

    /// <summary>SIGKILL: no chance to commit, roll back or close anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _stdout;
    }

    /// <summary>Waits for the driver to catch up and exit normally.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await _stdout;
        if (_process.ExitCode != 0 || !_caughtUp)
        {
            var stderr = await StandardErrorAsync();
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The driver exited with {_process.ExitCode}. stderr: {stderr}"));
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> StandardErrorAsync() => _process.HasExited ? await _stderr : "(still running)";

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Split(' ') is ["position", var name, var position])
            {
                lock (_gate)
                {
                    _positions[name] = long.Parse(position, CultureInfo.InvariantCulture);
                }
            }
            else if (line == "caught-up")
            {
                _caughtUp = true;
            }
        }
    }
}
