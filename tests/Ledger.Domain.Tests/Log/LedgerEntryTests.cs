using System.Text;
using System.Text.Json;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

public sealed class LedgerEntryTests
{
    [Fact]
    public void Full_entry_survives_a_round_trip_through_its_canonical_bytes()
    {
        var entry = SampleEntries.Full;
        var bytes = entry.ToCanonicalBytes();

        var parsed = LedgerEntry.Parse(bytes);

        parsed.ShouldBe(entry);
        parsed.ToCanonicalBytes().ShouldBe(bytes);
        parsed.Signature.ShouldBe(SampleEntries.Signature);
        parsed.Prev.ShouldBe(SampleEntries.PrevHash);
        parsed.RecordedAt.ShouldBe(SampleEntries.RecordedAt.AddTicks(1_234_560));
        parsed.Statement.ShouldBe(SampleEntries.FullStatement);
    }

    [Fact]
    public void Minimal_entry_survives_a_round_trip_through_its_canonical_bytes()
    {
        var entry = SampleEntries.Minimal;

        var parsed = LedgerEntry.Parse(entry.ToCanonicalBytes());

        parsed.ShouldBe(entry);
        parsed.Signature.ShouldBeNull();
        parsed.Prev.ShouldBeNull();
        parsed.Metadata.ShouldBeNull();
        parsed.OccurredAt.ShouldBeNull();
    }

    [Fact]
    public void Entry_exposes_the_statement_members()
    {
        var entry = SampleEntries.Full;

        entry.Stream.ShouldBe("execution-7f3c9a");
        entry.EventId.ShouldBe("evt-0002");
        entry.Type.ShouldBe("execution.started.v1");
        entry.Domain.ShouldBe("aws-eu");
        entry.Emitter.ShouldBe("orchestrator");
        entry.OccurredAt.ShouldBe("2025-06-01T14:34:55.9+02:00");
        entry.Data.GetProperty("runtimeNode").GetString().ShouldBe("node-17");
        entry.Metadata!.Value.GetProperty("traceId").GetString().ShouldBe("4bf92f3577b34da6");
    }

    [Fact]
    public void Recorded_time_is_kept_in_UTC_to_the_microsecond()
    {
        var local = new DateTimeOffset(2025, 6, 1, 14, 34, 56, TimeSpan.FromHours(2)).AddTicks(9_999_999);

        var entry = SampleEntries.Minimal with { RecordedAt = local };

        entry.RecordedAt.Offset.ShouldBe(TimeSpan.Zero);
        entry.RecordedAt.ShouldBe(new DateTimeOffset(2025, 6, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(9_999_990));
        Encoding.UTF8.GetString(entry.ToCanonicalBytes()).ShouldContain("\"recordedAt\":\"2025-06-01T12:34:56.999999Z\"");
    }

    [Fact]
    public void Entries_differing_only_in_the_content_of_prev_are_not_equal()
    {
        var other = SampleEntries.PrevHash;
        other[31] ^= 1;

        (SampleEntries.Full with { Prev = other }).ShouldNotBe(SampleEntries.Full);
        (SampleEntries.Full with { Prev = SampleEntries.PrevHash }).ShouldBe(SampleEntries.Full);
    }

    [Fact]
    public void Prev_is_copied_so_changing_the_callers_array_does_not_change_the_entry()
    {
        var hash = SampleEntries.PrevHash;
        var entry = SampleEntries.Full with { Prev = hash };

        hash[0] ^= 0xff;

        entry.Prev.ShouldBe(SampleEntries.PrevHash);
    }

    [Fact]
    public void Data_outlives_the_document_it_came_from()
    {
        EmitterStatement statement;
        using (var document = JsonDocument.Parse("""{"k":"v"}"""))
        {
            statement = SampleEntries.MinimalStatement with { Data = document.RootElement };
        }

        statement.Data.GetProperty("k").GetString().ShouldBe("v");
    }

    [Fact]
    public void Empty_origin_is_rejected()
    {
        Should.Throw<ArgumentException>(() => SampleEntries.Minimal with { Origin = "" }).ParamName.ShouldBe("Origin");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9_007_199_254_740_992)]
    public void Position_outside_the_exact_JSON_integer_range_is_rejected(long position)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SampleEntries.Minimal with { Position = position });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(9_007_199_254_740_992)]
    public void Stream_version_outside_one_to_the_exact_JSON_integer_range_is_rejected(long version)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => SampleEntries.Full with { StreamVersion = version });
    }

    [Fact]
    public void Largest_exact_JSON_integer_is_accepted_as_position()
    {
        var entry = SampleEntries.Minimal with { Position = 9_007_199_254_740_991 };

        LedgerEntry.Parse(entry.ToCanonicalBytes()).Position.ShouldBe(9_007_199_254_740_991);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Prev_that_is_not_32_bytes_is_rejected(int length)
    {
        Should.Throw<ArgumentException>(() => SampleEntries.Full with { Prev = new byte[length] }).ParamName.ShouldBe("Prev");
    }

    [Fact]
    public void First_event_of_a_stream_with_prev_is_rejected()
    {
        Should.Throw<ArgumentException>(() => new LedgerEntry(SampleEntries.Origin, 0, SampleEntries.RecordedAt, 1, SampleEntries.MinimalStatement, null, SampleEntries.PrevHash))
            .Message.ShouldContain("streamVersion 1");
    }

    [Fact]
    public void Later_event_of_a_stream_without_prev_is_rejected()
    {
        Should.Throw<ArgumentException>(() => new LedgerEntry(SampleEntries.Origin, 1, SampleEntries.RecordedAt, 2, SampleEntries.MinimalStatement, null, null))
            .Message.ShouldContain("streamVersion 2");
    }

    [Fact]
    public void Encoding_an_entry_whose_version_and_prev_were_made_to_disagree_fails()
    {
        var broken = SampleEntries.Full with { StreamVersion = 1 };

        Should.Throw<InvalidOperationException>(broken.ToCanonicalBytes).Message.ShouldContain("Prev must be null");
    }

    [Fact]
    public void Missing_statement_is_rejected()
    {
        Should.Throw<ArgumentNullException>(() => SampleEntries.Minimal with { Statement = null! });
    }

    [Fact]
    public void Entry_with_data_that_cannot_be_canonicalized_fails_to_encode()
    {
        var entry = SampleEntries.Minimal with
        {
            Statement = SampleEntries.MinimalStatement with { Data = SampleEntries.Json("""{"a":1,"a":2}""") },
        };

        Should.Throw<CanonicalJsonException>(entry.ToCanonicalBytes).Error.ShouldBe(CanonicalJsonError.DuplicateKey);
    }
}
