using System.Text;
using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class SignedNoteTests
{
    private const string Example =
        "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    private const string Line = "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=";

    [Fact]
    public void A_note_parses_into_text_and_signatures_and_formats_back_exactly()
    {
        var note = SignedNote.Parse(Example);

        note.Text.ShouldBe("This is an example message.\n");
        var signature = note.Signatures.ShouldHaveSingleItem();
        signature.Name.ShouldBe("example.com/foo");
        signature.KeyId.ShouldBe(0x530d903au);
        signature.Signature.Length.ShouldBe(64);
        signature.Line.ShouldBe(Line);
        note.Format().ShouldBe(Example);
        note.ToString().ShouldBe(Example);
        note.ToBytes().ShouldBe(Encoding.UTF8.GetBytes(Example));
    }

    [Fact]
    public void The_last_blank_line_separates_text_from_signatures()
    {
        var note = SignedNote.Parse("first\n\nsecond\n\n" + Line + "\n");

        note.Text.ShouldBe("first\n\nsecond\n");
    }

    [Fact]
    public void Duplicate_signature_lines_are_kept_by_the_parser()
    {
        var note = SignedNote.Parse("text\n\n" + Line + "\n" + Line + "\n");

        note.Signatures.Count.ShouldBe(2);
        note.Signatures[0].ShouldBe(note.Signatures[1]);
    }

    [Theory]
    [InlineData("text\n" + Line + "\n", "blank line")]
    [InlineData("text\n\n", "no signature lines")]
    [InlineData("text\n\n" + Line, "newline")]
    [InlineData("text\n\n- example.com/foo AAAAAAA=\n", "em dash")]
    [InlineData("text\n\n—example.com/foo AAAAAAA=\n", "em dash")]
    [InlineData("text\n\n— exa+mple AAAAAAA=\n", "invalid key name")]
    [InlineData("text\n\n—  AAAAAAA=\n", "invalid key name")]
    [InlineData("text\n\n— name\n", "base64")]
    [InlineData("text\n\n— name \n", "base64")]
    [InlineData("text\n\n— name AAAA\n", "base64")]
    [InlineData("text\n\n— name AAAAAAA\n", "base64")]
    [InlineData("text\n\n— name AAAA AAA=\n", "base64")]
    [InlineData("text\n\n— name AAAAAAA=\n\n", "no signature lines")]
    [InlineData("te\txt\n\n— name AAAAAAA=\n", "control character U+0009")]
    [InlineData("text\r\n\n— name AAAAAAA=\n", "control character U+000D")]
    public void A_malformed_note_is_rejected_with_its_reason(string message, string reason)
    {
        Should.Throw<FormatException>(() => SignedNote.Parse(message)).Message.ShouldContain(reason);

        SignedNote.TryParse(message, out var note, out var error).ShouldBeFalse();
        note.ShouldBeNull();
        error.ShouldContain(reason);

        new NoteVerifierSet().Open(message).ShouldBeOfType<NoteCheck.Malformed>().Code.ShouldBe("note-malformed");
    }

    [Fact]
    public void An_unpaired_surrogate_is_rejected()
    {
        var message = "text" + (char)0xD800 + "\n\n" + Line + "\n";

        Should.Throw<FormatException>(() => SignedNote.Parse(message)).Message.ShouldContain("unpaired surrogate");
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        byte[] message = [.. "te"u8, 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\n\n" + Line + "\n")];

        Should.Throw<FormatException>(() => SignedNote.Parse(message)).Message.ShouldContain("UTF-8");
        new NoteVerifierSet().Open(message).ShouldBeOfType<NoteCheck.Malformed>().Reason.ShouldContain("UTF-8");
    }

    [Fact]
    public void At_most_one_hundred_signatures_are_accepted()
    {
        var hundred = "text\n\n" + string.Concat(Enumerable.Repeat(Line + "\n", 100));
        var hundredAndOne = hundred + Line + "\n";

        SignedNote.Parse(hundred).Signatures.Count.ShouldBe(100);
        Should.Throw<FormatException>(() => SignedNote.Parse(hundredAndOne)).Message.ShouldContain("101 signatures");
    }

    [Fact]
    public void Signing_appends_one_line_per_signer_in_order()
    {
        using var a = NoteSigner.Create("a.example/log", SigningKey.GenerateEd25519());
        using var b = NoteSigner.Create("b.example/log", SigningKey.GenerateEcdsaP256());

        var note = SignedNote.Sign("hello\n", a, b);

        note.Signatures.Select(s => s.Name).ShouldBe(["a.example/log", "b.example/log"]);
        var check = new NoteVerifierSet(a.Verifier, b.Verifier).Open(note.Format()).ShouldBeOfType<NoteCheck.Verified>();
        check.VerifiedSignatures.Count.ShouldBe(2);
    }

    [Fact]
    public void Adding_a_signature_by_the_same_key_replaces_the_old_one()
    {
        using var log = NoteSigner.Create("log", SigningKey.GenerateEcdsaP256());
        using var witness = NoteSigner.Create("witness", SigningKey.GenerateEd25519());
        var note = SignedNote.Sign("hello\n", log, witness);

        var again = note.AddSignatures(log);

        again.Signatures.Select(s => s.Name).ShouldBe(["witness", "log"]);
        again.Text.ShouldBe(note.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("bell\a\n")]
    public void Signing_a_text_that_cannot_be_a_note_is_refused(string text)
    {
        using var signer = NoteSigner.Create("log", SigningKey.GenerateEd25519());

        Should.Throw<ArgumentException>(() => SignedNote.Sign(text, signer));
    }

    [Fact]
    public void Signing_needs_a_signer()
    {
        Should.Throw<ArgumentException>(() => SignedNote.Sign("text\n"));
    }

    [Fact]
    public void A_note_may_not_grow_past_one_hundred_signatures()
    {
        var full = SignedNote.Parse("text\n\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"— k{i} AAAAAAA=\n")));
        using var signer = NoteSigner.Create("log", SigningKey.GenerateEd25519());

        Should.Throw<InvalidOperationException>(() => full.AddSignatures(signer));
    }

    [Fact]
    public void Repeated_signatures_by_a_known_key_are_checked_once_and_unknown_duplicates_listed_once()
    {
        using var log = NoteSigner.Create("log", SigningKey.GenerateEd25519());
        var signed = SignedNote.Sign("text\n", log).Format();
        var line = signed.Split('\n')[2];
        var message = signed + line + "\n" + Line + "\n" + Line + "\n";

        var verified = new NoteVerifierSet(log.Verifier).Open(message).ShouldBeOfType<NoteCheck.Verified>();

        verified.VerifiedSignatures.ShouldHaveSingleItem();
        verified.UnverifiedSignatures.ShouldHaveSingleItem().Line.ShouldBe(Line);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("a b", 1)]
    [InlineData("a+b", 1)]
    [InlineData("ok", 0)]
    public void A_signature_line_needs_a_valid_name_and_a_signature(string name, int signatureLength)
    {
        Should.Throw<ArgumentException>(() => new NoteSignature(name, 1, new byte[signatureLength]));
    }
}
