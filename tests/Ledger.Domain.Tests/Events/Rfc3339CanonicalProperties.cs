using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Events;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Events;

// The fast reading of the ledger's own timestamp form against the general readers it stands in front of: the regular
// expression (event data) and the BCL's exact parse (an entry's recordedAt). It may decline; it may never disagree.
public sealed class Rfc3339CanonicalProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(3000);

    // Characters a mutation puts in: digits, the separators, their lower-case and look-alike variants, space, sign.
    private const string Interesting = "0123456789-:.TtZz +/١";

    private static readonly Arbitrary<(long Ticks, int Seed)> Instants =
        Arb.From(Gen.Zip(Gen.Choose(0, int.MaxValue).Select(x => (long)((double)x / int.MaxValue * (DateTimeOffset.MaxValue.UtcTicks - 1))), Gen.Choose(0, int.MaxValue)));

    [Theory]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0000-02-29T12:00:00.000000Z")]
    [InlineData("0000-01-01T00:00:00+01:00")]
    public void Year_zero_is_refused_not_thrown(string text)
    {
        Rfc3339.TryParse(text, out _).ShouldBeFalse();
        Rfc3339.TryParseCanonical(text, out _).ShouldBeFalse();
    }

    [Fact]
    public void The_ledgers_own_form_of_any_instant_is_read_fast_to_the_same_value_as_the_general_readers()
    {
        Check.One(Runs, Prop.ForAll(Instants, sample =>
        {
            var instant = Rfc3339.TruncateToMicroseconds(new DateTimeOffset(sample.Ticks, TimeSpan.Zero));
            var text = Rfc3339.Format(instant);

            Rfc3339.TryParseCanonical(text, out var fast).ShouldBeTrue(text);
            fast.ShouldBe(instant);
            fast.Offset.ShouldBe(TimeSpan.Zero);
            ShouldAgree(text);
        }));
    }

    [Fact]
    public void Every_mutation_of_the_ledgers_form_is_declined_or_read_as_the_general_readers_read_it()
    {
        Check.One(Runs, Prop.ForAll(Instants, sample =>
        {
            var text = Rfc3339.Format(new DateTimeOffset(sample.Ticks, TimeSpan.Zero));
            var random = new Random(sample.Seed);
            for (var i = 0; i < 8; i++)
            {
                var chars = text.ToCharArray();
                chars[random.Next(chars.Length)] = Interesting[random.Next(Interesting.Length)];
                ShouldAgree(new string(chars));
            }
        }));
    }

    [Theory]
    [InlineData("2025-02-29T00:00:00.000000Z")]
    [InlineData("2024-02-30T00:00:00.000000Z")]
    [InlineData("2025-13-01T00:00:00.000000Z")]
    [InlineData("2025-00-01T00:00:00.000000Z")]
    [InlineData("2025-01-00T00:00:00.000000Z")]
    [InlineData("2025-01-01T24:00:00.000000Z")]
    [InlineData("2025-01-01T00:60:00.000000Z")]
    [InlineData("2025-01-01T00:00:60.000000Z")]
    [InlineData("2025-01-01T00:00:00.00000Z")]
    [InlineData("2025-01-01T00:00:00.0000000Z")]
    [InlineData("2025-01-01t00:00:00.000000Z")]
    [InlineData("2025-01-01T00:00:00.000000z")]
    [InlineData("2025-01-01T00:00:00.000000+00:00")]
    [InlineData("+025-01-01T00:00:00.000000Z")]
    [InlineData("2025-01-01T00:00:00.-00000Z")]
    [InlineData("2025-01-01T00:00:00Z")]
    [InlineData("")]
    public void Anything_but_a_valid_instant_in_exactly_the_ledgers_form_is_declined(string text)
    {
        Rfc3339.TryParseCanonical(text, out _).ShouldBeFalse();
        ShouldAgree(text);
    }

    [Fact]
    public void The_first_and_last_instants_of_the_calendar_are_read_fast()
    {
        Rfc3339.TryParseCanonical("0001-01-01T00:00:00.000000Z", out var first).ShouldBeTrue();
        first.ShouldBe(DateTimeOffset.MinValue);
        Rfc3339.TryParseCanonical("9999-12-31T23:59:59.999999Z", out var last).ShouldBeTrue();
        last.UtcTicks.ShouldBe(DateTimeOffset.MaxValue.UtcTicks - 9);
        Rfc3339.TryParseCanonical("0000-01-01T00:00:00.000000Z", out _).ShouldBeFalse();
    }

    private static void ShouldAgree(string text)
    {
        var exact = DateTimeOffset.TryParseExact(text, LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exactValue);
        LedgerEntry.TryParseRecordedAt(text, out var recorded).ShouldBe(exact, text);
        if (exact)
        {
            recorded.ShouldBe(exactValue, text);
            recorded.Offset.ShouldBe(exactValue.Offset, text);
        }

        // The general reader throws on year 0 (DaysInMonth); the fast one declines it before.
        if (text.StartsWith("0000", StringComparison.Ordinal))
        {
            return;
        }

        var general = Rfc3339.TryParseGeneral(text, out var generalValue);
        Rfc3339.TryParse(text, out var value).ShouldBe(general, text);
        if (general)
        {
            value.ShouldBe(generalValue, text);
        }
    }
}
