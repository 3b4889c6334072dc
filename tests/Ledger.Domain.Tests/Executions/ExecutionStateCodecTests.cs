using Ledger.Domain.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Executions;

public sealed class ExecutionStateCodecTests
{
    public static TheoryData<string> Histories => ["none", "declared", "running", "verified", "completed", "halted", "proven", "child"];

    [Theory]
    [MemberData(nameof(Histories))]
    public void A_stored_state_reads_back_equal_member_by_member(string name)
    {
        var state = name switch
        {
            "none" => ExecutionState.Initial(Id),
            "declared" => State(UpTo(ExecutionStatus.Declared)),
            "running" => State(UpTo(ExecutionStatus.Running)),
            "verified" => State(RunningVerified()),
            "completed" => State(CompletedHistory()),
            "halted" => Execution.Evolve(State(UpTo(ExecutionStatus.Running)), new ExecutionHalted(Reason.MeasurementDrift, "drifted"), At(9), Origin),
            "proven" => Execution.Evolve(State(CompletedHistory()), Proof(), At(10), Origin),
            _ => State(UpTo(ExecutionStatus.Running, parent: ParentRef())),
        };

        var read = ExecutionStateCodec.Read(ExecutionStateCodec.Write(state));

        Describe(read).ShouldBe(Describe(state));
    }

    [Fact]
    public void Bytes_that_are_not_a_stored_state_are_a_format_error()
    {
        Should.Throw<FormatException>(() => ExecutionStateCodec.Read("{}"u8));
        Should.Throw<FormatException>(() => ExecutionStateCodec.Read("not json"u8));
        Should.Throw<FormatException>(() => ExecutionStateCodec.Read("""{"id":"bad id!","st":0,"ph":0}"""u8));
    }

    // Record equality compares list members by reference: compare the members' values instead.
    private static string Describe(ExecutionState s) =>
        string.Join("|", s with { TargetDomains = [], RequestedScope = [], GrantedScope = [] },
            string.Join(",", s.TargetDomains), string.Join(",", s.RequestedScope), string.Join(",", s.GrantedScope));
}
