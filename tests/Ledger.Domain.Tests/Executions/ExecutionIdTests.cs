using Ledger.Domain.Executions;

namespace Ledger.Domain.Tests.Executions;

public sealed class ExecutionIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("exec-1")]
    [InlineData("Job_2025.01:run-7")]
    public void Valid_ids_parse_and_name_their_stream(string text)
    {
        var id = ExecutionId.Parse(text);

        id.Value.ShouldBe(text);
        id.ToString().ShouldBe(text);
        id.StreamName.ShouldBe("execution-" + text);
    }

    [Fact]
    public void An_id_of_128_characters_is_valid() => ExecutionId.IsValid(new string('a', 128)).ShouldBeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("é")]
    [InlineData("a*")]
    [InlineData(null)]
    public void Invalid_ids_are_refused(string? text)
    {
        ExecutionId.TryParse(text, out _).ShouldBeFalse();
        if (text is not null)
        {
            Should.Throw<FormatException>(() => ExecutionId.Parse(text)).Message.ShouldContain("[A-Za-z0-9._:-]");
        }
    }

    [Fact]
    public void An_id_of_129_characters_is_refused() => ExecutionId.IsValid(new string('a', 129)).ShouldBeFalse();

    [Fact]
    public void Ids_compare_by_value() => ExecutionId.Parse("x").ShouldBe(ExecutionId.Parse("x"));

    [Fact]
    public void The_id_is_read_back_from_its_stream_name()
    {
        ExecutionId.TryFromStreamName("execution-exec-1", out var id).ShouldBeTrue();
        id.ShouldBe(ExecutionId.Parse("exec-1"));
        ExecutionId.TryFromStreamName("$ledger", out _).ShouldBeFalse();
        ExecutionId.TryFromStreamName("execution-", out _).ShouldBeFalse();
    }

    [Fact]
    public void The_default_id_has_no_value() => Should.Throw<InvalidOperationException>(() => default(ExecutionId).Value);
}
