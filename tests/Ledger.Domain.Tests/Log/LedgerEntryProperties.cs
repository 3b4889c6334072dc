using System.Globalization;
using System.Text;
using System.Text.Json;
using Nodes = System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;
using Ledger.Domain.Tests.Canonical;

namespace Ledger.Domain.Tests.Log;

public sealed class LedgerEntryProperties
{
    private static readonly Gen<string> NonEmptyText = JsonModel.Strings.Where(text => text.Length > 0);

    private static readonly Gen<EmitterStatement> Statements =
        from texts in Gen.ArrayOf(NonEmptyText, 6)
        from occurred in Gen.Elements(true, false)
        from data in JsonModel.ObjectGenerator
        from metadata in JsonModel.ObjectGenerator
        from hasMetadata in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        select new EmitterStatement(
            texts[0],
            texts[1],
            texts[2],
            texts[3],
            texts[4],
            occurred ? texts[5] : null,
            Parse(data.Render(new Random(seed))),
            hasMetadata ? Parse(metadata.Render(new Random(~seed))) : null);

    private static readonly Arbitrary<LedgerEntry> Entries = Arb.From(
        from statement in Statements
        from origin in NonEmptyText
        from position in Gen.Choose(0, int.MaxValue)
        from version in Gen.Choose(1, 5)
        from micros in Gen.Choose(0, int.MaxValue)
        from prev in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32)
        from signed in Gen.Elements(true, false)
        select new LedgerEntry(
            origin,
            position * 3L,
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMicroseconds(micros * 1000.0 + micros % 1000),
            version,
            statement,
            signed ? SampleEntries.Signature : null,
            version == 1 ? null : prev));

    [Fact]
    public void Entry_bytes_are_canonical_and_parse_back_to_an_equal_entry()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Entries, entry =>
        {
            var bytes = entry.ToCanonicalBytes();

            JsonCanonicalizer.IsCanonical(bytes).ShouldBeTrue(Encoding.UTF8.GetString(bytes));
            var parsed = LedgerEntry.Parse(bytes);
            parsed.ShouldBe(entry);
            parsed.ToCanonicalBytes().ShouldBe(bytes);
        }));
    }

    [Fact]
    public void Statement_bytes_are_canonical_and_equal_the_canonicalized_JSON_of_its_members()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Statements), statement =>
        {
            var bytes = statement.ToCanonicalBytes();

            JsonCanonicalizer.IsCanonical(bytes).ShouldBeTrue();
            var members = new Dictionary<string, object?>
            {
                ["type"] = statement.Type,
                ["stream"] = statement.Stream,
                ["occurredAt"] = statement.OccurredAt,
                ["metadata"] = statement.Metadata,
                ["eventId"] = statement.EventId,
                ["emitter"] = statement.Emitter,
                ["domain"] = statement.Domain,
                ["data"] = statement.Data,
            };
            JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(members)).ShouldBe(bytes);
        }));
    }

    [Fact]
    public void Statement_bytes_cut_from_the_entry_are_the_statements_canonical_bytes()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Entries, entry =>
        {
            LedgerEntry.StatementBytes(entry.ToCanonicalBytes()).ShouldBe(entry.Statement.ToCanonicalBytes());
        }));
    }

    [Fact]
    public void Cheap_read_and_document_read_agree_on_every_mutated_entry()
    {
        // Member-level changes the canonical check lets through: the cheap read must give the document read's
        // entry or its error (same type and message).
        var mutations = new Func<Nodes.JsonObject, Nodes.JsonObject>[]
        {
            o => { o.Remove("type"); return o; },
            o => { o["zzz"] = 1; return o; },
            o => { o["position"] = "1"; return o; },
            o => { o["position"] = 1.5; return o; },
            o => { o["position"] = -1; return o; },
            o => { o["streamVersion"] = 0; return o; },
            o => { o["prev"] = "AAAA"; return o; },
            o => { o["prev"] = null; return o; },
            o => { o["recordedAt"] = "2020-01-01T00:00:00Z"; return o; },
            o => { o["data"] = new Nodes.JsonArray(); return o; },
            o => { o["metadata"] = "x"; return o; },
            o => { o["signature"] = new Nodes.JsonObject { ["alg"] = "rsa", ["keyId"] = "k", ["value"] = "v" }; return o; },
            o => { o["signature"] = new Nodes.JsonObject { ["alg"] = "ecdsa-p256-sha256" }; return o; },
            o => { o["stream"] = ""; return o; },
            o => { o["occurredAt"] = 5; return o; },
            o => o,
        };
        var samples = Arb.From(Gen.Zip(Entries.Generator, Gen.Choose(0, mutations.Length - 1)));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(samples, sample =>
        {
            var json = Nodes.JsonNode.Parse(sample.Item1.ToCanonicalBytes())!.AsObject();
            var bytes = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(mutations[sample.Item2](json).ToJsonString()));

            var cheap = Outcome(() => LedgerEntry.Parse(bytes));
            var document = Outcome(() => LedgerEntry.ParseByDocument(bytes));
            cheap.ShouldBe(document);
        }));
    }

    private static string Outcome(Func<LedgerEntry> parse)
    {
        try
        {
            return "entry " + Encoding.UTF8.GetString(parse().ToCanonicalBytes());
        }
        catch (FormatException e)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    [Fact]
    public void Recorded_time_text_always_has_six_fractional_digits()
    {
        var times = Arb.From(Gen.Choose(0, int.MaxValue).Select(seconds => DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(seconds % 10_000_000)));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(times, time =>
        {
            var entry = SampleEntries.Minimal with { RecordedAt = time };
            using var document = JsonDocument.Parse(entry.ToCanonicalBytes());
            var text = document.RootElement.GetProperty("recordedAt").GetString()!;

            text.Length.ShouldBe(27);
            DateTimeOffset.ParseExact(text, LedgerEntry.RecordedAtFormat, CultureInfo.InvariantCulture).ShouldBe(entry.RecordedAt);
        }));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
