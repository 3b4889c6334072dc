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

    [Fact]
    public void One_pass_read_and_two_pass_read_agree_on_every_entry_with_its_bytes_altered()
    {
        // Byte-level changes, most of which the canonical check refuses: the one-pass read (canonical check and member
        // read together) must give the entry or the error (type, code, offset and message) of the canonical check
        // followed by the member read.
        var edits = new Func<byte[], int, byte, byte[]>[]
        {
            (b, at, x) => { var c = (byte[])b.Clone(); c[at] ^= (byte)(1 << (x % 8)); return c; },
            (b, at, x) => [.. b[..at], (byte)" \t\n,:{}[]\"\\0-1e.aZ"[x % 18], .. b[at..]],
            (b, at, _) => [.. b[..at], .. b[(at + 1)..]],
            (b, at, _) => [.. b[..at], b[at], .. b[at..]],
            (b, at, _) => at + 1 < b.Length ? [.. b[..at], b[at + 1], b[at], .. b[(at + 2)..]] : b,
            (b, at, x) => { var c = (byte[])b.Clone(); c[at] = x; return c; },
            (b, _, _) => [.. b, (byte)' '],
            (b, _, _) => [0xEF, 0xBB, 0xBF, .. b],
            (b, _, _) => b,
        };
        var samples = Arb.From(
            from entry in Entries.Generator
            from edit in Gen.Choose(0, edits.Length - 1)
            from at in Gen.Choose(0, int.MaxValue)
            from x in Gen.Choose(0, 255)
            select (entry, edit, at, (byte)x));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(samples, sample =>
        {
            var original = sample.entry.ToCanonicalBytes();
            var bytes = edits[sample.edit](original, sample.at % original.Length, sample.Item4);

            var onePass = Outcome(() => LedgerEntry.Parse(bytes));
            var twoPasses = Outcome(() => LedgerEntry.ParseInTwoPasses(bytes));
            onePass.ShouldBe(twoPasses, Encoding.UTF8.GetString(bytes));
        }));
    }

    [Fact]
    public void One_pass_read_and_two_pass_read_agree_on_every_mutated_entry()
    {
        var samples = Arb.From(Gen.Zip(Entries.Generator, Gen.Choose(0, 3)));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(samples, sample =>
        {
            var json = Nodes.JsonNode.Parse(sample.Item1.ToCanonicalBytes())!.AsObject();
            // Canonical text that is not an entry the cheap read takes: the one-pass read declines it, and the error is the
            // member read's.
            switch (sample.Item2)
            {
                case 0: json.Remove("origin"); break;
                case 1: json["data"] = new Nodes.JsonArray(1, "x"); break;
                case 2: json["metadata"] = 3; break;
                default: json["prev"] = "AAAA"; break;
            }

            var bytes = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json.ToJsonString()));
            var onePass = Outcome(() => LedgerEntry.Parse(bytes));
            onePass.ShouldBe(Outcome(() => LedgerEntry.ParseInTwoPasses(bytes)));
            onePass.ShouldStartWith(nameof(FormatException));
        }));
    }

    private static string Outcome(Func<LedgerEntry> parse)
    {
        try
        {
            return "entry " + Encoding.UTF8.GetString(parse().ToCanonicalBytes());
        }
        catch (CanonicalJsonException e)
        {
            return FormattableString.Invariant($"{e.GetType().Name} {e.Error} at {e.ByteOffset}: {e.Message}");
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
