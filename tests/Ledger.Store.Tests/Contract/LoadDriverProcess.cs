using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Ledger.Store.Tests.Contract;

/// <summary>
/// Runs tests/Ledger.Store.LoadDriver as a separate OS process and collects the appends it
/// acknowledged (<c>ack {requestId} {firstPosition} {count}</c> lines).
/// </summary>
internal sealed class LoadDriverProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<Acknowledged> _acks = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private LoadDriverProcess(Process process)
    {
        _process = process;
        _stdout = Task.Run(ReadOutputAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public sealed record Acknowledged(string RequestId, long FirstPosition, int Count);

    public IReadOnlyList<Acknowledged> Acks
    {
        get
        {
            lock (_gate)
            {
                return [.. _acks];
            }
        }
    }

    public static LoadDriverProcess Start(string engine, string connectionString, string origin, string tag, int writers, int appends, int events)
    {
        var driver = typeof(LoadDriverProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LoadDriver").Value!;
        if (!File.Exists(driver))
        {
            throw new FileNotFoundException("The load driver is not built (it is a project reference of the tests).", driver);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            driver, "--engine", engine, "--connection", connectionString, "--origin", origin, "--tag", tag,
            "--writers", writers.ToString(CultureInfo.InvariantCulture),
            "--appends", appends.ToString(CultureInfo.InvariantCulture),
            "--events", events.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        return new LoadDriverProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the load driver."));
    }

    /// <summary>Waits until at least <paramref name="count"/> appends are acknowledged.</summary>
    public async Task WaitForAcksAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Acks.Count < count)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var stderr = await StandardErrorAsync();
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The load driver acknowledged {Acks.Count} of {count} appends (exited: {_process.HasExited}). stderr: {stderr}"));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: no chance to flush, close or roll back anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        await _stdout;
    }

    /// <summary>Waits for a normal end and checks it finished its whole load.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        await _stdout;
        if (_process.ExitCode != 0 || !_done.Task.IsCompleted)
        {
            var stderr = await StandardErrorAsync();
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"The load driver exited with {_process.ExitCode}. stderr: {stderr}"));
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task<string> StandardErrorAsync() =>
        _process.HasExited ? await _stderr : "(still running)";

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            if (parts is ["ack", var id, var position, var count])
            {
                lock (_gate)
                {
                    _acks.Add(new Acknowledged(id, long.Parse(position, CultureInfo.InvariantCulture), int.Parse(count, CultureInfo.InvariantCulture)));
                }
            }
            else if (line == "done")
            {
                _done.TrySetResult();
            }
        }
    }
}
