using System.Buffers.Binary;
using System.Text;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

/// <summary>Type 0x05 (RFC 6962 tree head) signatures, checked against the real Static CT checkpoint vector.</summary>
public sealed class Rfc6962NoteTests
{
    private static readonly System.Text.Json.JsonElement Item =
        NoteVectors.Item("rfc6962_notes", "rome.ct.filippo.io/2024h1-static-ct-checkpoint");

    private static NoteVerifier Verifier => NoteVerifier.Parse(Item.Get("vkey"));

    private static SignedNote Note => SignedNote.Parse(Item.Get("note"));

    private static byte[] Text => Encoding.UTF8.GetBytes(Note.Text);

    private static byte[] Signature => Note.Signatures[0].Signature.ToArray();

    [Fact]
    public void The_published_tree_head_signature_verifies()
    {
        Verifier.Verify(Text, Signature).ShouldBeTrue();
    }

    [Theory]
    [InlineData(8, 0x05)]
    [InlineData(9, 0x01)]
    public void A_signature_naming_another_hash_or_signature_algorithm_fails(int offset, byte value)
    {
        var signature = Signature;
        signature[offset] = value;

        Verifier.Verify(Text, signature).ShouldBeFalse();
    }

    [Fact]
    public void A_signature_whose_length_field_disagrees_fails()
    {
        var signature = Signature;
        BinaryPrimitives.WriteUInt16BigEndian(signature.AsSpan(10), (ushort)(signature.Length - 11));

        Verifier.Verify(Text, signature).ShouldBeFalse();
    }

    [Fact]
    public void A_signature_too_short_for_its_header_fails()
    {
        Verifier.Verify(Text, Signature.AsSpan(0, 11)).ShouldBeFalse();
    }

    [Fact]
    public void A_changed_timestamp_fails()
    {
        var signature = Signature;
        signature[7] ^= 1;

        Verifier.Verify(Text, signature).ShouldBeFalse();
    }

    [Fact]
    public void Text_that_is_not_a_plain_three_line_checkpoint_fails()
    {
        Verifier.Verify(Encoding.UTF8.GetBytes(Note.Text + "extension\n"), Signature).ShouldBeFalse();
        Verifier.Verify("not a checkpoint\n"u8, Signature).ShouldBeFalse();
    }

    [Fact]
    public void The_key_id_commits_to_the_hash_of_the_spki()
    {
        var typeAndKey = Convert.FromBase64String(Item.Get("vkey").Split('+', 3)[2]);
        var logId = System.Security.Cryptography.SHA256.HashData(typeAndKey.AsSpan(1));
        var hash = System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes("rome.ct.filippo.io/2024h1\n"), 0x05, .. logId]);

        Verifier.KeyId.ShouldBe(BinaryPrimitives.ReadUInt32BigEndian(hash));
    }
}
