using System.Text;
using System.Text.RegularExpressions;
using Ledger.Domain.Canonical;
using Ledger.Domain.Merkle;

namespace Ledger.Domain.Tests.Log;

// docs/FORMAT.md §1 and §2 show exact bytes; these tests keep the page and the code in step.
public sealed partial class FormatDocumentTests
{
    private static readonly Lazy<string> Document = new(() =>
        File.ReadAllText(Path.Combine(Vectors.Root, "..", "..", "docs", "FORMAT.md"), Encoding.UTF8));

    [Fact]
    public void Canonical_JSON_worked_example_is_what_the_canonicalizer_writes()
    {
        var blocks = CodeBlocks(Section("### 1.3", "Sorting by UTF-16"));
        var (input, text, hex) = (blocks[0], blocks[1], blocks[2]);

        var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(input));

        Encoding.UTF8.GetString(canonical).ShouldBe(text);
        canonical.ShouldBe(Convert.FromHexString(string.Concat(hex.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries))));
    }

    [Fact]
    public void Entry_worked_example_shows_the_sample_entries_statement_and_hashes()
    {
        var section = Section("### 2.3", "## 3.");
        var blocks = CodeBlocks(section);

        blocks.ShouldContain(Encoding.UTF8.GetString(SampleEntries.Minimal.ToCanonicalBytes()));
        blocks.ShouldContain(Encoding.UTF8.GetString(SampleEntries.FullStatement.ToCanonicalBytes()));
        blocks.ShouldContain(Encoding.UTF8.GetString(SampleEntries.Full.ToCanonicalBytes()));
        section.ShouldContain(Convert.ToHexStringLower(MerkleHash.HashLeaf(SampleEntries.Minimal.ToCanonicalBytes())));
        section.ShouldContain(Convert.ToBase64String(MerkleHash.HashLeaf(SampleEntries.Minimal.ToCanonicalBytes())));
        section.ShouldContain(Convert.ToHexStringLower(MerkleHash.HashLeaf(SampleEntries.Full.ToCanonicalBytes())));
        section.ShouldContain(SampleEntries.FullStatement.Digest());
        section.ShouldContain(SampleEntries.EmitterPublicKey);
        section.ShouldContain(SampleEntries.EmitterKeyId);
    }

    [Fact]
    public void Entry_worked_example_states_the_byte_lengths_of_its_texts()
    {
        var section = Section("### 2.3", "## 3.");

        section.ShouldContain($"({SampleEntries.Minimal.ToCanonicalBytes().Length} bytes)");
        section.ShouldContain($"({SampleEntries.FullStatement.ToCanonicalBytes().Length} bytes;");
        section.ShouldContain($"The entry ({SampleEntries.Full.ToCanonicalBytes().Length} bytes)");
    }

    private static string Section(string from, string to)
    {
        var text = Document.Value;
        var start = text.IndexOf(from, StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"FORMAT.md has no '{from}'");
        var end = text.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        end.ShouldBeGreaterThan(start, $"FORMAT.md has no '{to}' after '{from}'");
        return text[start..end];
    }

    private static List<string> CodeBlocks(string section) =>
        [.. CodeBlock().Matches(section).Select(match => match.Groups[1].Value)];

    [GeneratedRegex("```\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
