using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class CheckpointTests
{
    private const string Root = "rKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=";

    [Fact]
    public void A_checkpoint_parses_and_formats_back_exactly()
    {
        var text = "example.com/log/testdata\n15\n" + Root + "\n";

        var checkpoint = Checkpoint.Parse(text);

        checkpoint.Origin.ShouldBe("example.com/log/testdata");
        checkpoint.Size.ShouldBe(15);
        Convert.ToBase64String(checkpoint.RootHash.Span).ShouldBe(Root);
        checkpoint.Extensions.ShouldBeEmpty();
        checkpoint.ToText().ShouldBe(text);
        checkpoint.ToString().ShouldBe(text);
    }

    [Fact]
    public void Extension_lines_are_kept_in_order()
    {
        var text = "origin\n0\n" + Root + "\nfirst ext\nsecond ext\n";

        var checkpoint = Checkpoint.Parse(text);

        checkpoint.Size.ShouldBe(0);
        checkpoint.Extensions.ShouldBe(["first ext", "second ext"]);
        checkpoint.ToText().ShouldBe(text);
    }

    [Fact]
    public void The_largest_size_is_long_max_value()
    {
        Checkpoint.Parse("o\n9223372036854775807\n" + Root + "\n").Size.ShouldBe(long.MaxValue);
    }

    [Theory]
    [InlineData("o\n1\n" + Root, "ends in a newline")]
    [InlineData("", "ends in a newline")]
    [InlineData("o\n1\n", "at least three lines")]
    [InlineData("\n1\n" + Root + "\n", "origin")]
    [InlineData("o\n01\n" + Root + "\n", "size '01'")]
    [InlineData("o\n-1\n" + Root + "\n", "size '-1'")]
    [InlineData("o\n+1\n" + Root + "\n", "size '+1'")]
    [InlineData("o\n 1\n" + Root + "\n", "size ' 1'")]
    [InlineData("o\n\n" + Root + "\n", "size ''")]
    [InlineData("o\n9223372036854775808\n" + Root + "\n", "size '9223372036854775808'")]
    [InlineData("o\n18446744073709551616\n" + Root + "\n", "size")]
    [InlineData("o\n1\nnot base64\n", "root hash")]
    [InlineData("o\n1\nAAAA\n", "root hash")]
    [InlineData("o\n1\n" + Root + "\n\n", "extension line 4")]
    [InlineData("o\n1\n" + Root + "\nok\n\n", "extension line 5")]
    [InlineData("o\n1\n" + Root + "\nta\tb\n", "extension line 4")]
    [InlineData("o\t\n1\n" + Root + "\n", "origin")]
    public void A_malformed_checkpoint_is_rejected_with_its_reason(string text, string reason)
    {
        Should.Throw<FormatException>(() => Checkpoint.Parse(text)).Message.ShouldContain(reason);

        Checkpoint.TryParse(text, out var checkpoint, out var error).ShouldBeFalse();
        checkpoint.ShouldBeNull();
        error.ShouldContain(reason);
    }

    [Fact]
    public void Invalid_utf8_checkpoint_bytes_are_rejected()
    {
        Checkpoint.TryParse([0xff, 0x0a, 0x31, 0x0a], out _, out var error).ShouldBeFalse();
        error.ShouldContain("UTF-8");
    }

    [Fact]
    public void Utf8_checkpoint_bytes_parse()
    {
        Checkpoint.TryParse(System.Text.Encoding.UTF8.GetBytes("o\n3\n" + Root + "\n"), out var checkpoint, out var error).ShouldBeTrue();
        checkpoint!.Size.ShouldBe(3);
        error.ShouldBeNull();
    }

    [Fact]
    public void Constructing_a_checkpoint_validates_every_part()
    {
        var root = new byte[32];

        Should.Throw<ArgumentException>(() => new Checkpoint("", 1, root));
        Should.Throw<ArgumentException>(() => new Checkpoint("a\nb", 1, root));
        Should.Throw<ArgumentOutOfRangeException>(() => new Checkpoint("o", -1, root));
        Should.Throw<ArgumentException>(() => new Checkpoint("o", 1, new byte[31]));
        Should.Throw<ArgumentException>(() => new Checkpoint("o", 1, root, [""]));
        Should.Throw<ArgumentException>(() => new Checkpoint("o", 1, root, ["a\nb"]));
    }

    [Fact]
    public void A_constructed_checkpoint_copies_its_root_hash()
    {
        var root = new byte[32];
        var checkpoint = new Checkpoint("o", 1, root);
        root[0] = 1;

        checkpoint.RootHash.Span[0].ShouldBe((byte)0);
    }

    [Fact]
    public void A_signed_checkpoint_verifies_and_its_text_parses_back()
    {
        using var signer = NoteSigner.Create("o", Ledger.Domain.Crypto.SigningKey.GenerateEcdsaP256());
        var checkpoint = new Checkpoint("o", 7, new byte[32], ["ext"]);

        var note = checkpoint.Sign(signer);

        new NoteVerifierSet(signer.Verifier).Verify(note).IsVerified.ShouldBeTrue();
        Checkpoint.Parse(note.Text).ToText().ShouldBe(checkpoint.ToText());
    }
}
