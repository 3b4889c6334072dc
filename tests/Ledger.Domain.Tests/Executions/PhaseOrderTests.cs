using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class PhaseOrderTests
{
    private static readonly IExecutionEvent[] Phases = [Intent(), Governance(), Authorization(), Trust(), Start()];

    private static readonly ExecutionStatus[] Statuses =
        [ExecutionStatus.None, ExecutionStatus.Declared, ExecutionStatus.Governed, ExecutionStatus.Authorized, ExecutionStatus.Trusted, ExecutionStatus.Running];

    /// <summary>Every (history, phase event) pair except the next phase; intents are conflicts, covered elsewhere.</summary>
    public static TheoryData<ExecutionStatus, int> OutOfOrder()
    {
        var data = new TheoryData<ExecutionStatus, int>();
        for (var s = 0; s < Statuses.Length; s++)
        {
            for (var p = 1; p < Phases.Length; p++)
            {
                if (p != s)
                {
                    data.Add(Statuses[s], p);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfOrder))]
    public void A_phase_event_out_of_order_is_refused_phase_order_violated(ExecutionStatus status, int phase)
    {
        var outcome = Lifecycle.Given(UpTo(status)).At(At(5)).When(Phases[phase]);

        if (status == ExecutionStatus.Running)
        {
            outcome.ThenHalted(Reason.PhaseOrderViolated);
        }
        else
        {
            outcome.ThenDenied(Reason.PhaseOrderViolated);
        }
    }

    [Fact]
    public void Verification_on_a_new_stream_is_denied_phase_order_violated() =>
        Lifecycle.GivenNothing().When(Verified()).ThenDenied(Reason.PhaseOrderViolated);

    [Fact]
    public void Each_phase_in_order_is_accepted()
    {
        var history = UpTo(ExecutionStatus.Running);
        for (var i = 0; i < history.Length; i++)
        {
            Lifecycle.Given(history[..i]).At(history[i].At).When(history[i].Event, history[i].Domain).ThenAccepted();
        }
    }
}
