using System.Text;
using System.Text.Json.Nodes;
using Ledger.Domain.Canonical;
using Ledger.Domain.Log;

namespace Ledger.Domain.Tests.Log;

public sealed class LedgerEntryParseTests
{
    [Fact]
    public void Entry_with_whitespace_is_rejected_as_not_canonical()
    {
        var text = Encoding.UTF8.GetString(SampleEntries.Full.ToCanonicalBytes()).Replace(",\"domain\"", ", \"domain\"", StringComparison.Ordinal);

        var error = Should.Throw<CanonicalJsonException>(() => LedgerEntry.Parse(Encoding.UTF8.GetBytes(text)));

        error.Error.ShouldBe(CanonicalJsonError.NotCanonical);
        error.ByteOffset.ShouldBe(text.IndexOf(' ', StringComparison.Ordinal));
    }

    [Fact]
    public void A_trusted_read_of_the_ledgers_own_bytes_gives_the_same_entry_without_the_canonical_check()
    {
        var bytes = SampleEntries.Full.ToCanonicalBytes();
        var spaced = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(",\"domain\"", ", \"domain\"", StringComparison.Ordinal));

        LedgerEntry.ParseTrusted(bytes).ToCanonicalBytes().ShouldBe(bytes);
        LedgerEntry.ParseTrusted(spaced).ToCanonicalBytes().ShouldBe(bytes, "only the canonical form is left unchecked");
        Should.Throw<FormatException>(() => LedgerEntry.ParseTrusted(Encoding.UTF8.GetBytes("""{"position":0}""")));
    }

    [Fact]
    public void Values_that_repeat_from_entry_to_entry_are_read_once_per_thread_and_differing_ones_are_read_as_they_are()
    {
        var first = LedgerEntry.Parse(SampleEntries.Full.ToCanonicalBytes());
        var again = LedgerEntry.Parse(SampleEntries.Full.ToCanonicalBytes());
        ReferenceEquals(first.Origin, again.Origin).ShouldBeTrue();
        ReferenceEquals(first.Type, again.Type).ShouldBeTrue();

        // Same length and many of the same bytes, so that some share a slot: each is read as it is.
        var origins = Enumerable.Range(0, 300).Select(i => "origin-" + i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var origin in origins.Concat(origins))
        {
            LedgerEntry.Parse((SampleEntries.Full with { Origin = origin }).ToCanonicalBytes()).Origin.ShouldBe(origin);
        }
    }

    [Fact]
    public void Entry_with_a_trailing_newline_is_rejected_as_not_canonical()
    {
        var bytes = SampleEntries.Minimal.ToCanonicalBytes();

        Should.Throw<CanonicalJsonException>(() => LedgerEntry.Parse([.. bytes, (byte)'\n'])).Error.ShouldBe(CanonicalJsonError.NotCanonical);
    }

    [Fact]
    public void Entry_with_members_out_of_order_is_rejected_as_not_canonical()
    {
        var text = Encoding.UTF8.GetString(SampleEntries.Minimal.ToCanonicalBytes());
        var reordered = "{\"type\":\"execution.intent-declared.v1\"," + text[1..].Replace(",\"type\":\"execution.intent-declared.v1\"", "", StringComparison.Ordinal);

        Should.Throw<CanonicalJsonException>(() => LedgerEntry.Parse(Encoding.UTF8.GetBytes(reordered))).Error.ShouldBe(CanonicalJsonError.NotCanonical);
    }

    [Theory]
    [InlineData("\"position\":0", "\"position\":0.0")]
    [InlineData("\"position\":0", "\"position\":-0")]
    [InlineData("\"stream\":\"execution-7f3c9a\"", "\"stream\":\"execution\\u002d7f3c9a\"")]
    public void Entry_with_a_non_canonical_spelling_is_rejected(string canonical, string spelled)
    {
        var text = Encoding.UTF8.GetString(SampleEntries.Minimal.ToCanonicalBytes()).Replace(canonical, spelled, StringComparison.Ordinal);

        Should.Throw<CanonicalJsonException>(() => LedgerEntry.Parse(Encoding.UTF8.GetBytes(text))).Error.ShouldBe(CanonicalJsonError.NotCanonical);
    }

    [Fact]
    public void Text_that_is_not_JSON_is_rejected()
    {
        Should.Throw<CanonicalJsonException>(() => LedgerEntry.Parse("{\"data\":"u8)).Error.ShouldBe(CanonicalJsonError.InvalidJson);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("metadata")]
    [InlineData("signature")]
    [InlineData("prev")]
    [InlineData("occurredAt")]
    [InlineData("position")]
    [InlineData("type")]
    public void Entry_missing_a_member_is_rejected_and_the_member_named(string member)
    {
        var error = Rejected(SampleEntries.Full, entry => entry.Remove(member));

        error.Message.ShouldContain($"missing: [{member}]");
    }

    [Fact]
    public void Entry_with_an_extra_member_is_rejected_and_the_member_named()
    {
        var error = Rejected(SampleEntries.Full, entry => entry["extension"] = 1);

        error.Message.ShouldContain("unexpected: [extension]");
    }

    [Fact]
    public void Signature_with_an_extra_member_is_rejected()
    {
        var error = Rejected(SampleEntries.Full, entry => entry["signature"]!["created"] = "now");

        error.Message.ShouldContain("signature must have exactly the members alg, keyId, value");
    }

    [Fact]
    public void Signature_missing_a_member_is_rejected()
    {
        var error = Rejected(SampleEntries.Full, entry => entry["signature"]!.AsObject().Remove("keyId"));

        error.Message.ShouldContain("missing: [keyId]");
    }

    [Theory]
    [InlineData("origin", "1", "origin must be a string, not a number")]
    [InlineData("position", "\"41\"", "position must be a number, not a string")]
    [InlineData("position", "null", "position must be a number, not null")]
    [InlineData("streamVersion", "true", "streamVersion must be a number, not a boolean")]
    [InlineData("recordedAt", "null", "recordedAt must be a string, not null")]
    [InlineData("data", "[]", "data must be an object, not an array")]
    [InlineData("data", "null", "data must be an object, not null")]
    [InlineData("metadata", "\"none\"", "metadata must be an object or null, not a string")]
    [InlineData("signature", "\"sig\"", "signature must be an object or null, not a string")]
    [InlineData("prev", "[]", "prev must be a string or null, not an array")]
    [InlineData("occurredAt", "0", "occurredAt must be a string or null, not a number")]
    [InlineData("stream", "{}", "stream must be a string, not an object")]
    public void Member_of_the_wrong_JSON_kind_is_rejected(string member, string json, string message)
    {
        var error = Rejected(SampleEntries.Full, entry => entry[member] = JsonNode.Parse(json));

        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Signature_member_of_the_wrong_kind_is_rejected()
    {
        var error = Rejected(SampleEntries.Full, entry => entry["signature"]!["value"] = 12);

        error.Message.ShouldContain("signature.value must be a string, not a number");
    }

    [Theory]
    [InlineData("position", "1.5", "is not an integer")]
    [InlineData("position", "1e+21", "is not an integer")]
    [InlineData("position", "-1", "Position")]
    [InlineData("position", "9007199254740992", "Position")]
    [InlineData("streamVersion", "0", "StreamVersion")]
    [InlineData("recordedAt", "\"2025-06-01T12:34:56Z\"", "yyyy-MM-ddTHH:mm:ss.ffffffZ")]
    [InlineData("recordedAt", "\"2025-06-01T12:34:56.123456+00:00\"", "yyyy-MM-ddTHH:mm:ss.ffffffZ")]
    [InlineData("recordedAt", "\"2025-06-01 12:34:56.123456Z\"", "yyyy-MM-ddTHH:mm:ss.ffffffZ")]
    [InlineData("recordedAt", "\"2025-02-30T12:34:56.123456Z\"", "yyyy-MM-ddTHH:mm:ss.ffffffZ")]
    [InlineData("prev", "\"AAEC\"", "32-byte hash")]
    [InlineData("prev", "\"not base64!\"", "32-byte hash")]
    [InlineData("prev", "null", "must carry Prev")]
    [InlineData("stream", "\"\"", "Stream must not be empty")]
    [InlineData("origin", "\"\"", "Origin must not be empty")]
    public void Member_with_an_invalid_value_is_rejected(string member, string json, string message)
    {
        var error = Rejected(SampleEntries.Full, entry => entry[member] = JsonNode.Parse(json));

        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Edited_entry_with_valid_values_is_accepted()
    {
        // The edit-and-recanonicalize helper itself yields parseable entries: rejections above come from the values.
        var bytes = Edit(SampleEntries.Full, entry =>
        {
            entry["data"] = JsonNode.Parse("""{"a":"x"}""");
            entry["position"] = 7;
        });

        var parsed = LedgerEntry.Parse(bytes);

        parsed.Data.GetProperty("a").GetString().ShouldBe("x");
        parsed.Position.ShouldBe(7);
    }

    [Fact]
    public void First_event_of_a_stream_carrying_prev_is_rejected()
    {
        var error = Rejected(SampleEntries.Full, entry => entry["streamVersion"] = 1);

        error.Message.ShouldContain("Prev must be null");
    }

    [Theory]
    [InlineData("alg", "ES256", "Unknown signature algorithm")]
    [InlineData("keyId", "sha256:abc", "64 lowercase hex digits")]
    [InlineData("value", "AB==", "base64")]
    public void Signature_with_an_invalid_value_is_rejected(string member, string value, string message)
    {
        var error = Rejected(SampleEntries.Full, entry => entry["signature"]![member] = value);

        error.Message.ShouldContain(message);
        error.InnerException.ShouldBeAssignableTo<ArgumentException>();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"entry\"")]
    [InlineData("null")]
    public void Top_level_value_that_is_not_an_object_is_rejected(string json)
    {
        var error = Should.Throw<FormatException>(() => LedgerEntry.Parse(Encoding.UTF8.GetBytes(json)));

        error.ShouldNotBeOfType<CanonicalJsonException>();
        error.Message.ShouldContain("the entry must be an object");
    }

    private static FormatException Rejected(LedgerEntry sample, Action<JsonObject> edit)
    {
        var bytes = Edit(sample, edit);
        var error = Should.Throw<FormatException>(() => LedgerEntry.Parse(bytes));
        error.ShouldNotBeOfType<CanonicalJsonException>();
        return error;
    }

    // Applies the edit and canonicalizes again, so that only the edit (not the spelling) is wrong.
    private static byte[] Edit(LedgerEntry sample, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(sample.ToCanonicalBytes())!.AsObject();
        edit(node);
        return JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }
}
