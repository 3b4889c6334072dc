using System.Text;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

public sealed class EmitterStatementTests
{
    [Fact]
    public void Statement_bytes_do_not_depend_on_how_the_data_was_spelled()
    {
        var spelled = SampleEntries.FullStatement with
        {
            Data = SampleEntries.Json("""{"tags":["gpu","spot"],"attempt":1E0,"runtimeNode":"node\u002d17","executionId":"7f3c9a"}"""),
        };

        spelled.ToCanonicalBytes().ShouldBe(SampleEntries.FullStatement.ToCanonicalBytes());
        spelled.Digest().ShouldBe(SampleEntries.FullStatement.Digest());
    }

    [Fact]
    public void Statements_with_the_same_values_are_equal()
    {
        var spelled = SampleEntries.FullStatement with { Data = SampleEntries.Json(SampleEntries.FullStatement.Data.GetRawText()) };

        spelled.ShouldBe(SampleEntries.FullStatement);
        spelled.GetHashCode().ShouldBe(SampleEntries.FullStatement.GetHashCode());
    }

    [Theory]
    [InlineData("""{"n":1.0000000000000001}""", """{"n":1}""")]
    [InlineData("""{"n":-4.7383715190789753E-084}""", """{"n":-4.738371519078975e-84}""")]
    [InlineData("""{"n":9007199254740993}""", """{"n":9007199254740992}""")]
    public void Statements_whose_data_differ_only_in_number_spelling_of_the_same_double_are_equal(string data, string sameDouble)
    {
        var first = SampleEntries.MinimalStatement with { Data = SampleEntries.Json(data) };
        var second = SampleEntries.MinimalStatement with { Data = SampleEntries.Json(sameDouble) };

        first.ShouldBe(second);
        first.ToCanonicalBytes().ShouldBe(second.ToCanonicalBytes());
    }

    [Fact]
    public void Statements_with_data_that_cannot_be_canonicalized_are_equal_only_when_structurally_identical()
    {
        var duplicate = SampleEntries.MinimalStatement with { Data = SampleEntries.Json("""{"a":1,"a":2}""") };

        duplicate.ShouldBe(duplicate with { Data = SampleEntries.Json("""{"a":1,"a":2}""") });
        duplicate.ShouldNotBe(duplicate with { Data = SampleEntries.Json("""{"a":1,"a":3}""") });
    }

    [Fact]
    public void Statements_with_different_data_are_not_equal_and_have_different_digests()
    {
        var other = SampleEntries.FullStatement with { Data = SampleEntries.Json("""{"runtimeNode":"node-18"}""") };

        other.ShouldNotBe(SampleEntries.FullStatement);
        other.Digest().ShouldNotBe(SampleEntries.FullStatement.Digest());
    }

    [Fact]
    public void Statements_differing_only_in_metadata_presence_are_not_equal()
    {
        (SampleEntries.FullStatement with { Metadata = null }).ShouldNotBe(SampleEntries.FullStatement);
    }

    [Fact]
    public void Non_ASCII_text_is_signed_as_literal_UTF8()
    {
        var statement = SampleEntries.MinimalStatement with { Domain = "zürich-\ud83d\ude00", Stream = "a\u2028b" };

        var text = Encoding.UTF8.GetString(statement.ToCanonicalBytes());

        text.ShouldContain("\"domain\":\"zürich-\ud83d\ude00\"");
        text.ShouldContain("\"stream\":\"a\u2028b\"");
    }

    [Fact]
    public void A_JSON_null_passed_as_metadata_means_no_metadata()
    {
        var statement = SampleEntries.MinimalStatement with { Metadata = SampleEntries.Json("null") };

        statement.Metadata.ShouldBeNull();
        statement.ShouldBe(SampleEntries.MinimalStatement);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("3")]
    public void Data_that_is_not_an_object_is_rejected(string data)
    {
        Should.Throw<ArgumentException>(() => SampleEntries.MinimalStatement with { Data = SampleEntries.Json(data) }).ParamName.ShouldBe("Data");
    }

    [Fact]
    public void Undefined_data_is_rejected()
    {
        Should.Throw<ArgumentException>(() => SampleEntries.MinimalStatement with { Data = default }).ParamName.ShouldBe("Data");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("false")]
    public void Metadata_that_is_not_an_object_is_rejected(string metadata)
    {
        Should.Throw<ArgumentException>(() => SampleEntries.MinimalStatement with { Metadata = SampleEntries.Json(metadata) }).ParamName.ShouldBe("Metadata");
    }

    [Theory]
    [InlineData(nameof(EmitterStatement.Stream))]
    [InlineData(nameof(EmitterStatement.EventId))]
    [InlineData(nameof(EmitterStatement.Type))]
    [InlineData(nameof(EmitterStatement.Domain))]
    [InlineData(nameof(EmitterStatement.Emitter))]
    [InlineData(nameof(EmitterStatement.OccurredAt))]
    public void Empty_text_member_is_rejected(string member)
    {
        Should.Throw<ArgumentException>(() => With(member, "")).ParamName.ShouldBe(member);
    }

    [Theory]
    [InlineData(nameof(EmitterStatement.Stream))]
    [InlineData(nameof(EmitterStatement.EventId))]
    [InlineData(nameof(EmitterStatement.Type))]
    [InlineData(nameof(EmitterStatement.Domain))]
    [InlineData(nameof(EmitterStatement.Emitter))]
    [InlineData(nameof(EmitterStatement.OccurredAt))]
    public void Text_member_with_an_unpaired_surrogate_is_rejected_rather_than_silently_replaced(string member)
    {
        var error = Should.Throw<ArgumentException>(() => With(member, "ok\ud800"));

        error.ParamName.ShouldBe(member);
        error.Message.ShouldContain("U+D800 at index 2");
    }

    [Fact]
    public void Missing_required_text_member_is_rejected()
    {
        Should.Throw<ArgumentNullException>(() => new EmitterStatement(null!, "e", "t", "d", "m", null, SampleEntries.Json("{}"), null));
    }

    [Fact]
    public void Data_with_an_escaped_lone_surrogate_fails_to_encode()
    {
        var statement = SampleEntries.MinimalStatement with { Data = SampleEntries.Json("""{"a":"\udead"}""") };

        Should.Throw<CanonicalJsonException>(statement.ToCanonicalBytes).Error.ShouldBe(CanonicalJsonError.LoneSurrogate);
    }

    [Fact]
    public void Data_nested_too_deeply_fails_to_encode()
    {
        var depth = JsonCanonicalizer.MaxDepth;
        var data = "{\"a\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";
        var statement = SampleEntries.MinimalStatement with { Data = SampleEntries.Json(data) };

        Should.Throw<CanonicalJsonException>(statement.ToCanonicalBytes).Error.ShouldBe(CanonicalJsonError.DepthExceeded);
    }

    private static EmitterStatement With(string member, string value) => member switch
    {
        nameof(EmitterStatement.Stream) => SampleEntries.FullStatement with { Stream = value },
        nameof(EmitterStatement.EventId) => SampleEntries.FullStatement with { EventId = value },
        nameof(EmitterStatement.Type) => SampleEntries.FullStatement with { Type = value },
        nameof(EmitterStatement.Domain) => SampleEntries.FullStatement with { Domain = value },
        nameof(EmitterStatement.Emitter) => SampleEntries.FullStatement with { Emitter = value },
        nameof(EmitterStatement.OccurredAt) => SampleEntries.FullStatement with { OccurredAt = value },
        _ => throw new ArgumentOutOfRangeException(nameof(member), member, "not a text member"),
    };
}
