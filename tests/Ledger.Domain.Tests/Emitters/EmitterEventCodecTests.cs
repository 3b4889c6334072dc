using System.Text.Json;
using Ledger.Domain.Emitters;

namespace Ledger.Domain.Tests.Emitters;

public sealed class EmitterEventCodecTests
{
    private const string Registered = "emitter.registered.v1";
    private const string Revoked = "emitter.revoked.v1";
    private static readonly string Ed25519Key = "ed25519:" + Convert.ToBase64String(new byte[32]);

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Registration(string domains = """["aws"]""", string key = "null", string required = "false", string name = "\"aws-gw\"") =>
        $$"""{"name":{{name}},"domains":{{domains}},"publicKey":{{key}},"signaturesRequired":{{required}}}""";

    private static IReadOnlyList<string> Errors(string type, string json)
    {
        EmitterEventCodec.TryParse(type, Json(json), out var parsed, out var errors).ShouldBeFalse();
        parsed.ShouldBeNull();
        return errors;
    }

    public static TheoryData<IEmitterEvent> OneOfEach => new()
    {
        new EmitterRegistered("dev", ["*"], null, false),
        new EmitterRegistered("aws-gw", ["aws", "aws-eu"], "ed25519:" + Convert.ToBase64String(new byte[32]), true),
        new EmitterRevoked("aws-gw", "key leaked"),
    };

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Emitter_events_round_trip(IEmitterEvent @event)
    {
        var data = EmitterEventCodec.ToData(@event);

        EmitterEventCodec.TryParse(Ledger.Domain.Events.WireNames.Of(@event.GetType()), data, out var parsed, out var errors).ShouldBeTrue(string.Join("; ", errors));
        EmitterEventCodec.ToData(parsed).GetRawText().ShouldBe(data.GetRawText());
        parsed.Name.ShouldBe(@event.Name);
    }

    [Fact]
    public void An_ecdsa_p256_subject_public_key_info_is_accepted()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var text = "ecdsa-p256:" + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

        EmitterEventCodec.TryParse(Registered, Json(Registration(key: $"\"{text}\"", required: "true")), out var parsed, out var errors)
            .ShouldBeTrue(string.Join("; ", errors));
        parsed.ShouldBeOfType<EmitterRegistered>().PublicKey.ShouldBe(text);
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { Registered, Registration(name: "\"a b\""), "name: must be 1 to 128 characters" },
        { Registered, Registration(domains: "[]"), "domains: must not be empty" },
        { Registered, Registration(domains: """["*","aws"]"""), "domains: '*' stands for every domain and must be the only entry" },
        { Registered, Registration(domains: """["aws","aws"]"""), "domains[1]: duplicate value 'aws'" },
        { Registered, Registration(key: "\"rsa:AAAA\""), "publicKey: must be 'ecdsa-p256:'" },
        { Registered, Registration(key: "\"ed25519:AAAA\""), "publicKey: must be 'ecdsa-p256:'" },
        { Registered, Registration(key: "\"ed25519:not base64!\""), "publicKey: must be 'ecdsa-p256:'" },
        { Registered, Registration(key: "\"ecdsa-p256:AAAA\""), "publicKey: must be 'ecdsa-p256:'" },
        { Registered, Registration(key: "\"no-colon\""), "publicKey: must be 'ecdsa-p256:'" },
        { Registered, Registration(key: "5"), "publicKey: expected a string or null, found a number" },
        { Registered, Registration(required: "\"yes\""), "signaturesRequired: expected a boolean, found a string" },
        { Registered, Registration(required: "true"), "signaturesRequired: signatures cannot be required of an emitter without a public key" },
        { Registered, """{"name":"aws-gw","domains":["aws"],"signaturesRequired":false}""", "publicKey: required member is missing" },
        { Registered, Registration().Replace("}", ",\"tier\":1}", StringComparison.Ordinal), "tier: unknown member" },
        { Revoked, """{"name":"aws-gw"}""", "reason: required member is missing" },
        { Revoked, """{"name":"aws-gw","reason":""}""", "reason: must not be empty" },
        { "emitter.renamed.v1", "{}", "type: 'emitter.renamed.v1' is not an emitter event type" },
        { Revoked, "null", "data: expected an object, found null" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Invalid_emitter_data_is_refused_with_the_offending_path(string type, string json, string expected) =>
        Errors(type, json).ShouldContain(e => e.StartsWith(expected, StringComparison.Ordinal), $"expected an error starting '{expected}'");

    [Fact]
    public void ToData_refuses_an_emitter_that_requires_signatures_without_a_key() =>
        Should.Throw<ArgumentException>(() => EmitterEventCodec.ToData(new EmitterRegistered("x", ["aws"], null, true)));

    [Fact]
    public void Ed25519_keys_in_text_form_are_accepted() =>
        EmitterEventCodec.TryParse(Registered, Json(Registration(key: $"\"{Ed25519Key}\"", required: "true")), out _, out _).ShouldBeTrue();
}
