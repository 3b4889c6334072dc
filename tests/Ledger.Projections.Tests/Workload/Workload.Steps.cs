using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Executions;

namespace Ledger.Projections.Tests.Workload;

/// <summary>How a simulated execution's story goes.</summary>
internal enum Fate
{
    Complete,
    GovernanceStale,
    GovernanceInconsistent,
    ScopeExceeded,
    TrustFailed,
    Drift,
    VerificationFailed,
    EmitterHalt,
    EmitterDeny,
    PhaseViolation,
    Stuck,
}

public sealed partial class Workload
{
    private static readonly (Fate Fate, int Weight)[] Fates =
    [
        (Fate.Complete, 55), (Fate.GovernanceStale, 4), (Fate.GovernanceInconsistent, 3), (Fate.ScopeExceeded, 4), (Fate.TrustFailed, 4),
        (Fate.Drift, 5), (Fate.VerificationFailed, 5), (Fate.EmitterHalt, 6), (Fate.EmitterDeny, 3), (Fate.PhaseViolation, 3), (Fate.Stuck, 8),
    ];

    private static readonly string[] Scopes = ["read", "write", "exec", "admin", "deploy"];

    /// <summary>One move of the simulation: a new root, a new child, or the next event of an open execution.</summary>
    private void Step()
    {
        if (_open.Count < 40 || _random.Next(100) < 12)
        {
            Declare(parent: null);
            return;
        }

        if (_random.Next(80) == 0 && _executions.Count > 0)
        {
            // A child under a parent that may have ended: refused lineage-broken when it has.
            Declare(_executions[ExecutionIdAt(_random.Next(_nextExecution) + 1)]);
            return;
        }

        var sim = _open[_random.Next(_open.Count)];
        if (sim.Fate == Fate.Stuck && sim.State.Status == ExecutionStatus.Declared)
        {
            return; // Silence: the sweep denies it once intentTtl has passed.
        }

        if (sim.State.Status == ExecutionStatus.Running && sim.Depth < 3 && sim.Children < 3 && _random.Next(100) < 18)
        {
            sim.Children++;
            Declare(sim);
            return;
        }

        Advance(sim);
    }

    private void Declare(Sim? parent)
    {
        var id = ExecutionIdAt(++_nextExecution);
        var domain = Domains[_random.Next(Domains.Length)];
        var targets = new SortedSet<string>(StringComparer.Ordinal) { domain };
        if (_random.Next(3) == 0)
        {
            targets.Add(Domains[_random.Next(Domains.Length)]);
        }

        if (parent is not null && _random.Next(2) == 0)
        {
            targets.Add(parent.State.OriginDomain ?? parent.FirstDomain);
        }

        var fate = PickFate();
        // A child declared under a parent that is no longer running is refused (lineage-broken): its stream holds only the denial.
        var intentParent = parent is null ? null : new ParentRef(Origin, ExecutionId.Parse(parent.Id));
        if (parent is null && _random.Next(25) == 0)
        {
            intentParent = new ParentRef("ledger.example/other-cloud", ExecutionId.Parse("remote-" + id));
        }

        var accepted = parent is not null && parent.State.Status == ExecutionStatus.Running;
        var sim = new Sim(id, domain, fate, accepted ? parent!.Id : null, accepted ? parent!.Root : id, accepted ? parent!.Depth + 1 : 0);
        _executions[id] = sim;
        _open.Add(sim);
        if (parent is not null)
        {
            Count("child");
        }

        var requested = Scopes.Where(_ => _random.Next(2) == 0).Append("read").Distinct().ToList();
        var intent = new IntentDeclared(
            ExecutionId.Parse(id), $"spiffe://{domain}/ns/jobs/sa/runner-{_nextExecution % 17}", "deploy", [$"s3://bucket-{_nextExecution % 5}/app"],
            requested, [.. targets], intentParent);
        JsonElement? metadata = domain.StartsWith("partner", StringComparison.Ordinal)
            ? JsonSerializer.SerializeToElement(new { provider = "acme-cloud", region = "eu" })
            : _random.Next(4) == 0 ? JsonSerializer.SerializeToElement(new { cloud = CloudOf(domain), ticket = id }) : null;
        Submit(sim, intent, id + "-intent", domain, EmitterOf(domain), metadata: metadata);
    }

    private static string ExecutionIdAt(int n) => "exec-" + n.ToString("D6", CultureInfo.InvariantCulture);

    private Fate PickFate()
    {
        var roll = _random.Next(Fates.Sum(f => f.Weight));
        foreach (var (fate, weight) in Fates)
        {
            if ((roll -= weight) < 0)
            {
                return fate;
            }
        }

        return Fate.Complete;
    }

    private void Advance(Sim sim)
    {
        var s = sim.State;
        var domain = s.OriginDomain ?? sim.FirstDomain;
        var emitter = EmitterOf(domain);
        var eventId = string.Create(CultureInfo.InvariantCulture, $"{sim.Id}-{sim.Version + 1}");
        var policy = Digest("policy-" + sim.Root[^1]);
        var measurement = Digest("image-" + s.Actor);
        IExecutionEvent? next = s.Status switch
        {
            ExecutionStatus.Declared when sim.Fate == Fate.EmitterDeny => new ExecutionDenied(Reason.EmitterReported, "the change window closed"),
            ExecutionStatus.Declared => new GovernanceSynchronized(
                "policy-7",
                policy,
                [.. s.TargetDomains.Select((d, i) => new SyncedDomain(
                    d,
                    sim.Fate == Fate.GovernanceInconsistent && i == 0 ? Digest("other") : policy,
                    sim.Fate == Fate.GovernanceStale ? _now.AddDays(-3) : _now.AddSeconds(-30)))]),
            ExecutionStatus.Governed when sim.Fate == Fate.PhaseViolation => new ExecutionStarted("node-early"),
            ExecutionStatus.Governed => Authorize(sim),
            ExecutionStatus.Authorized => new RuntimeTrustEstablished(
                s.Actor!, "sev-snp", measurement, "attestor." + domain, sim.Fate == Fate.TrustFailed ? TrustVerdict.Untrusted : TrustVerdict.Trusted),
            ExecutionStatus.Trusted => new ExecutionStarted("node-" + (_nextExecution % 31).ToString(CultureInfo.InvariantCulture)),
            ExecutionStatus.Running when sim.Fate == Fate.EmitterHalt && sim.Verifications >= 1 => new ExecutionHalted(Reason.EmitterReported, "operator stopped the job"),
            ExecutionStatus.Running when sim.Verifications >= 2 && (sim.Fate != Fate.Complete || _random.Next(3) == 0) =>
                new ExecutionCompleted(ExecutionOutcome.Succeeded, [Digest("out-" + sim.Id)]),
            ExecutionStatus.Running => new RuntimeVerified(
                sim.Fate == Fate.Drift && sim.Verifications == 1 ? Digest("drifted") : measurement,
                sim.Fate == Fate.VerificationFailed && sim.Verifications == 1 ? VerificationVerdict.Failed : VerificationVerdict.Ok),
            _ => null,
        };
        if (next is null)
        {
            return;
        }

        if (next is RuntimeVerified)
        {
            sim.Verifications++;
        }

        Submit(sim, next, eventId, domain, emitter);
    }

    private AuthorizationIssued Authorize(Sim sim)
    {
        var s = sim.State;
        var granted = s.RequestedScope.Where(_ => _random.Next(3) > 0).DefaultIfEmpty(s.RequestedScope[0]).ToList();
        var expires = _now.AddHours(2);
        if (sim.TreeParent is { } parentId && _executions[parentId].State is { } parent)
        {
            granted = [.. granted.Where(parent.GrantedScope.Contains)];
            if (granted.Count == 0)
            {
                granted = [parent.GrantedScope[0]];
            }

            expires = parent.ExpiresAt is { } limit && limit < expires ? limit : expires;
            if (expires <= _now)
            {
                // The parent's authorization ended during a quiet period (Advance): the child asks past it and is refused.
                expires = _now.AddMinutes(30);
            }
        }

        if (sim.Fate == Fate.ScopeExceeded)
        {
            granted = [.. granted, "root-everything"];
        }

        return new AuthorizationIssued("authz-" + sim.Id, s.OriginDomain!, granted, _now, expires, Digest("credential-" + sim.Id));
    }

    private static string Digest(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
