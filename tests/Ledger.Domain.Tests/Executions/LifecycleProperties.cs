using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class LifecycleProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly string[] Domains = [Origin, Partner, Outsider];

    /// <summary>The free choices of a valid history; <see cref="Build"/> turns them into events.</summary>
    private sealed record Plan(
        bool Child, int ExtraTarget, int[] PhaseGaps, int SyncAge, int NotBeforeLead, int Scope, int Issuer,
        int[] VerificationGaps, bool Complete, int ExpiryMargin, int[] Speakers);

    private static readonly Gen<Plan> Plans =
        from child in Gen.Elements(true, false)
        from extraTarget in Gen.Choose(0, 1)
        from phaseGaps in Gen.ArrayOf(Gen.Choose(0, 890), 4)
        from syncAge in Gen.Choose(0, 3600)
        from notBeforeLead in Gen.Choose(0, 600)
        from scope in Gen.Choose(1, 3)
        from issuer in Gen.Choose(0, 2)
        from verifications in Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 300), n))
        from complete in Gen.Elements(true, false)
        from expiryMargin in Gen.Choose(0, 1200)
        from speakers in Gen.ArrayOf(Gen.Choose(0, 2), 12)
        select new Plan(child, extraTarget, phaseGaps, syncAge, notBeforeLead, scope, issuer, verifications, complete, expiryMargin, speakers);

    private static List<Recorded> Build(Plan plan)
    {
        IReadOnlyList<string> targets = plan.ExtraTarget == 1 ? [Origin, Partner, Outsider] : [Origin, Partner];
        string Speaker(int i) => targets[plan.Speakers[i] % targets.Count];
        var times = new List<DateTimeOffset> { T0 };
        foreach (var gap in plan.PhaseGaps)
        {
            times.Add(times[^1].AddSeconds(gap));
        }

        var runTimes = new List<DateTimeOffset> { times[4] };
        foreach (var gap in plan.VerificationGaps)
        {
            runTimes.Add(runTimes[^1].AddSeconds(gap));
        }

        var end = runTimes[^1].AddSeconds(plan.Complete && plan.VerificationGaps.Length > 0 ? 1 : 0);
        var notBefore = times[2].AddSeconds(-plan.NotBeforeLead);
        var expiresAt = end.AddSeconds(plan.ExpiryMargin);
        if (plan.Child && expiresAt > At(120))
        {
            expiresAt = At(120);
        }

        string[] scopes = plan.Scope switch { 1 => ["read"], 2 => ["write"], _ => ["read", "write"] };
        var issuer = targets[plan.Issuer % targets.Count];
        var synced = targets.Select(d => new SyncedDomain(d, PolicyDigest, times[1].AddSeconds(-plan.SyncAge))).ToList();

        var history = new List<Recorded>
        {
            new(Intent(parent: plan.Child ? ParentRef() : null, targets: targets), times[0], Origin),
            new(new GovernanceSynchronized("policy-7", PolicyDigest, synced), times[1], Speaker(0)),
            new(Authorization(scopes, notBefore, expiresAt, issuer), times[2], issuer),
            new(Trust(), times[3], Speaker(1)),
            new(Start(), times[4], Speaker(2)),
        };
        history.AddRange(runTimes.Skip(1).Select((t, i) => new Recorded(Verified(), t, Speaker(3 + i))));
        if (plan.Complete && plan.VerificationGaps.Length > 0)
        {
            history.Add(new(Completed(), end, Speaker(11)));
        }

        return history;
    }

    [Fact]
    public void Random_valid_histories_are_accepted_event_by_event()
    {
        Check.One(Runs, Prop.ForAll(Plans.ToArbitrary(), plan =>
        {
            var state = ExecutionState.Initial(Id);
            foreach (var step in Build(plan))
            {
                var context = new DecisionContext(step.At, DefaultParameters) { Parent = plan.Child ? RunningParent() : null };
                var decision = Execution.Decide(state, SubmissionOf(step.Event, step.Domain), context);

                decision.ShouldBeOfType<Decision.Accepted>($"{step.Event.GetType().Name} at {step.At:O}: {decision}");
                state = Execution.Evolve(state, step.Event, step.At, step.Domain);
            }

            state.Status.ShouldBe(plan.Complete && plan.VerificationGaps.Length > 0 ? ExecutionStatus.Completed : ExecutionStatus.Running);
        }));
    }

    private static readonly IExecutionEvent[] Pool =
    [
        Intent(), Intent(id: ExecutionId.Parse("other")), Governance(), Governance(syncedAt: At(-3000)), Authorization(),
        Authorization(scope: ["admin"]), Trust(), Trust(verdict: TrustVerdict.Untrusted), Start(), Verified(), Verified(measurement: Digest('z')),
        Completed(), new ExecutionDenied(Reason.EmitterReported, "stop"), new ExecutionHalted(Reason.EmitterReported, "stop"), Proof(),
    ];

    private static readonly Gen<(int Event, int Gap, int Domain)[]> Sequences =
        Gen.ArrayOf(
            from e in Gen.Choose(0, Pool.Length - 1)
            from gap in Gen.Choose(0, 400)
            from domain in Gen.Choose(0, 2)
            select (e, gap, domain));

    [Fact]
    public void Phases_never_move_backward_and_nothing_but_a_proof_follows_an_end()
    {
        Check.One(Runs, Prop.ForAll(Sequences.ToArbitrary(), steps =>
        {
            var state = ExecutionState.Initial(Id);
            var at = T0;
            foreach (var (index, gap, domain) in steps)
            {
                at = at.AddSeconds(gap);
                var @event = Pool[index];
                var submission = SubmissionOf(@event, Domains[domain]) with { ByLedger = @event is ProofPersisted };
                var decision = Execution.Decide(state, submission, new DecisionContext(at, DefaultParameters));
                var before = state;

                if (before.IsTerminal && @event is not ProofPersisted)
                {
                    decision.ShouldBeOfType<Decision.Conflict>();
                }

                state = decision switch
                {
                    Decision.Accepted => Execution.Evolve(state, @event, at, Domains[domain]),
                    Decision.Refused refused => Execution.Evolve(state, refused.LedgerEvents.ShouldHaveSingleItem(), at, "ledger"),
                    _ => state,
                };

                ((int)state.Phase).ShouldBeGreaterThanOrEqualTo((int)before.Phase);
                if (decision is Decision.Refused)
                {
                    state.IsTerminal.ShouldBeTrue();
                    (state.Status == ExecutionStatus.Halted).ShouldBe(before.Status == ExecutionStatus.Running);
                }
            }
        }));
    }

    private static readonly Gen<(int VerifiedAfter, int ExpiresAfter, int AskAfter, int Tick)> Moments =
        from verifiedAfter in Gen.Choose(-1, 300)
        from expiresAfter in Gen.Choose(1, 1200)
        from askAfter in Gen.Choose(0, 1500)
        from tick in Gen.Choose(-1, 1)
        select (verifiedAfter, expiresAfter, askAfter, tick);

    [Fact]
    public void Sweep_status_and_decide_agree_on_every_deadline()
    {
        Check.One(Runs, Prop.ForAll(Moments.ToArbitrary(), m =>
        {
            var start = At(4);
            var history = UpTo(ExecutionStatus.Running).ToList();
            if (m.VerifiedAfter >= 0)
            {
                history.Add(new(Verified(), start.AddSeconds(m.VerifiedAfter)));
            }

            var state = State(history) with { ExpiresAt = start.AddSeconds(m.ExpiresAfter) };
            var last = history[^1].At;
            var now = last.AddSeconds(m.AskAfter).AddTicks(m.Tick * 10);
            if (now < last)
            {
                return;
            }

            var swept = SilenceSweep.Decide([state], now, DefaultParameters);
            var clearance = Execution.Status(state, now, DefaultParameters);
            var decision = Execution.Decide(state, SubmissionOf(Verified()), new DecisionContext(now, DefaultParameters));

            clearance.Allowed.ShouldBe(swept.Count == 0);
            (decision is Decision.Accepted).ShouldBe(swept.Count == 0);
            if (swept.Count == 1)
            {
                var reason = ((ITermination)swept[0].Event).Reason;
                clearance.Reason.ShouldBe(reason);
                decision.ShouldBeOfType<Decision.Refused>().Reason.ShouldBe(reason);
            }
        }));
    }

    private static readonly Gen<string> Texts =
        Gen.ArrayOf(Gen.Elements("a", "Z", "0", " ", "\"", "\\", "/", "é", "\u2028", "\u0001", "\U0001F600", "\t"))
            .Select(parts => "x" + string.Concat(parts));

    private static readonly Gen<DateTimeOffset> Instants =
        Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 999_999))
            .Select(x => new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(x.Item1).AddTicks(x.Item2 * 10L));

    [Fact]
    public void Authorization_data_round_trips_for_arbitrary_text_and_instants()
    {
        var authorizations =
            from id in Texts
            from scope in Gen.NonEmptyListOf(Texts).Select(l => l.Distinct(StringComparer.Ordinal).ToArray())
            from notBefore in Instants
            from lifetime in Gen.Choose(1, int.MaxValue)
            select new AuthorizationIssued(id, "aws", scope, notBefore, notBefore.AddTicks(lifetime * 10L), Digest('a'));

        Check.One(Runs, Prop.ForAll(authorizations.ToArbitrary(), authorization =>
        {
            ExecutionEventCodec.TryParse("execution.authorization-issued.v1", ExecutionEventCodec.ToData(authorization), out var parsed, out var errors)
                .ShouldBeTrue(string.Join("; ", errors));
            var back = parsed.ShouldBeOfType<AuthorizationIssued>();
            back.GrantedScope.ShouldBe(authorization.GrantedScope);
            (back with { GrantedScope = authorization.GrantedScope }).ShouldBe(authorization);
        }));
    }
}
