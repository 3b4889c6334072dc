using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;
using Ledger.Domain.Parameters;
using Ledger.Verifier.Tests.Building;

namespace Ledger.Bench;

/// <summary>
/// Makes a bundle of about N events: 64 executions run side by side, each intent, governance, authorization, runtime
/// trust, start, three verifications and completion, then a proof after the next checkpoint; a new execution starts
/// when one ends. One event per second of ledger time; a checkpoint every 1,000 entries.
/// </summary>
internal static class VerifierWorkload
{
    private const int Concurrent = 64;
    private const int CheckpointEvery = 1000;

    public sealed record Bundle(string Path, string VerifierKey, long Events);

    public static async Task<Bundle> WriteAsync(string directory, int events, bool signed)
    {
        var path = System.IO.Path.Combine(directory, $"bundle-{events}-{(signed ? "signed" : "hashes")}.ndjson");
        using var log = new TestLog("bench.example/ledger", spoolPath: path + ".spool") { KeepEndedStates = false };
        using var scenario = new Scenario(log, signed);
        var clock = Scenario.T0;
        scenario.Setup(clock);
        var running = new List<(ExecutionId Id, int Step)>();
        var toProve = new List<ExecutionId>();
        var next = 0;
        var lastCheckpoint = 0L;
        while (log.Size < events)
        {
            while (running.Count < Concurrent)
            {
                running.Add((ExecutionId.Parse("x" + next++), 0));
            }

            for (var i = 0; i < running.Count && log.Size < events; i++)
            {
                clock = clock.AddSeconds(1);
                var (id, step) = running[i];
                scenario.Submit(id, Step(scenario, id, step, clock), clock);
                running[i] = (id, step + 1);
                if (step + 1 == 9)
                {
                    toProve.Add(id);
                }

                if (log.Size - lastCheckpoint >= CheckpointEvery)
                {
                    log.Checkpoint();
                    lastCheckpoint = log.Size;
                    foreach (var done in toProve)
                    {
                        clock = clock.AddSeconds(1);
                        log.PersistProof(done, clock);
                    }

                    toProve.Clear();
                }
            }

            running.RemoveAll(r => r.Step == 9);
        }

        log.Checkpoint();
        await using (var output = File.Create(path))
        {
            await log.WriteFullBundleAsync(output);
        }

        return new Bundle(path, log.VerifierKey, log.Size);
    }

    private static IExecutionEvent Step(Scenario s, ExecutionId id, int step, DateTimeOffset at) => step switch
    {
        0 => s.Intent(id, null),
        1 => new GovernanceSynchronized("policy-1", Scenario.Policy, [new SyncedDomain(Scenario.Aws, Scenario.Policy, at), new SyncedDomain(Scenario.Azure, Scenario.Policy, at)]),
        2 => new AuthorizationIssued("authz-" + id, Scenario.Aws, ["read"], at.AddMinutes(-1), at.AddHours(2), Scenario.Policy),
        3 => new RuntimeTrustEstablished("spiffe://aws.example/ns/jobs/sa/" + id, "tpm", Scenario.Measurement, "attestor", TrustVerdict.Trusted),
        4 => new ExecutionStarted("node-1"),
        5 or 6 or 7 => new RuntimeVerified(Scenario.Measurement, VerificationVerdict.Ok),
        _ => new ExecutionCompleted(ExecutionOutcome.Succeeded, []),
    };
}
