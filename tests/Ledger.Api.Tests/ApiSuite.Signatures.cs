using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Crypto;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Theory]
    [InlineData("random-value", "bad-signature")]
    [InlineData("not-base64", "validation-failed")]
    [InlineData("malformed-key-id", "validation-failed")]
    [InlineData("truncated", "bad-signature")]
    [InlineData("other-key-id", "bad-signature")]
    [InlineData("other-algorithm", "bad-signature")]
    [InlineData("unknown-algorithm", "validation-failed")]
    [InlineData("forged", "bad-signature")]
    [InlineData("tampered-data", "bad-signature")]
    [InlineData("replayed-on-another-event", "bad-signature")]
    [InlineData("replayed-on-another-stream", "bad-signature")]
    [InlineData("replayed-for-another-domain", "bad-signature")]
    public async Task A_bad_forged_or_replayed_signature_is_refused_and_appends_nothing(string attack, string slug)
    {
        using var key = SigningKey.GenerateEcdsaP256();
        using var attacker = SigningKey.GenerateEcdsaP256();
        var emitter = await RegisterEmitterAsync("signer", ["gcp.example", "gcp-eu.example"], key.VerificationKey.Text, signaturesRequired: false);
        var token = await MintTokenAsync(emitter);
        var story = NewStory("victim", domain: "gcp.example");
        var other = NewStory("other", domain: "gcp.example");
        var intent = Sign(story.Intent(), story.Stream, emitter, key);
        var stream = story.Stream;
        var signature = intent["signature"]!.AsObject();
        switch (attack)
        {
            case "random-value":
                signature["value"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
                break;
            case "not-base64":
                signature["value"] = "!!not base64!!";
                break;
            case "malformed-key-id":
                signature["keyId"] = "key-1";
                break;
            case "truncated":
                signature["value"] = Convert.ToBase64String(Convert.FromBase64String((string)signature["value"]!)[..32]);
                break;
            case "other-key-id":
                signature["keyId"] = attacker.VerificationKey.KeyId;
                break;
            case "other-algorithm":
                signature["alg"] = "ed25519";
                break;
            case "unknown-algorithm":
                signature["alg"] = "rsa-pss-sha256";
                break;
            case "forged":
                // Signed with the attacker's key but naming the emitter's key id.
                Sign(intent, story.Stream, emitter, attacker);
                intent["signature"]!["keyId"] = key.VerificationKey.KeyId;
                break;
            case "tampered-data":
                intent["data"]!["requestedScope"] = new JsonArray("invoices:read", "invoices:delete");
                break;
            case "replayed-on-another-event":
                intent = other.Intent();
                intent["signature"] = signature.DeepClone();
                stream = other.Stream;
                break;
            case "replayed-on-another-stream":
                stream = other.Stream;
                break;
            default:
                intent["domain"] = "gcp-eu.example";
                break;
        }

        await RefusedWithoutAppendAsync(() => AppendAsync(stream, Story.Body(0, intent), token), HttpStatusCode.BadRequest, slug);
    }

    [Fact]
    public async Task A_batch_with_one_bad_signature_appends_none_of_its_events()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var emitter = await RegisterEmitterAsync("batch-signer", ["gcp.example"], key.VerificationKey.Text, signaturesRequired: true);
        var token = await MintTokenAsync(emitter);
        var story = NewStory("batch-signed", domain: "gcp.example");
        var intent = Sign(story.Intent(), story.Stream, emitter, key);
        var governance = Sign(story.Governance(), story.Stream, emitter, key);
        governance["data"]!["policyId"] = "finance-v8";

        await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(0, (JsonObject)intent.DeepClone(), governance), token), HttpStatusCode.BadRequest, "bad-signature");
        await RefusedWithoutAppendAsync(
            () => AppendAsync(story.Stream, Story.Body(0, (JsonObject)intent.DeepClone(), story.Governance()), token), HttpStatusCode.BadRequest, "signature-required");
    }

    [Fact]
    public async Task A_signature_from_an_emitter_without_a_registered_key_is_refused()
    {
        using var key = SigningKey.GenerateEcdsaP256();
        var story = NewStory("keyless");
        var intent = Sign(story.Intent(), story.Stream, "dev", key);

        await RefusedWithoutAppendAsync(() => AppendAsync(story.Stream, Story.Body(0, intent)), HttpStatusCode.BadRequest, "bad-signature");
    }

    [Fact]
    public async Task An_emitter_with_an_ed25519_key_appends_signed_events()
    {
        Ed25519.IsSupported.ShouldBeTrue("libcrypto with Ed25519 is part of the supported platform");
        using var key = SigningKey.GenerateEd25519();
        var emitter = await RegisterEmitterAsync("ed-signer", ["edge.example"], key.VerificationKey.Text, signaturesRequired: true);
        var token = await MintTokenAsync(emitter);
        var story = NewStory("ed25519", domain: "edge.example");

        var created = await CreatedAsync(await AppendAsync(story.Stream, Story.Body(0, Sign(story.Intent(), story.Stream, emitter, key)), token));

        var entry = await EntryAsync(created.GetProperty("positions")[0].GetInt64());
        entry.Signature!.Alg.ShouldBe("ed25519");
        EmitterSigner.Verify(entry.Statement, entry.Signature, key.VerificationKey).ShouldBeTrue();
    }
}
