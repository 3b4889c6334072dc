using Ledger.Domain.Crypto;
using Ledger.Domain.Notes;

namespace Ledger.Domain.Tests.Notes;

public sealed class TlogPolicyTests : IDisposable
{
    private const string Origin = "ledger.example.com/eu-1";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    private readonly Ed25519SigningKey _logKey = SigningKey.GenerateEd25519();
    private readonly Ed25519SigningKey[] _witnessKeys = [SigningKey.GenerateEd25519(), SigningKey.GenerateEd25519(), SigningKey.GenerateEd25519()];

    public void Dispose()
    {
        _logKey.Dispose();
        foreach (var key in _witnessKeys)
        {
            key.Dispose();
        }
    }

    private NoteSigner Log => NoteSigner.Create(Origin, _logKey);

    private string LogVkey => Log.Verifier.VerifierKey;

    private NoteSigner Witness(int i, long? timestamp = null) =>
        NoteSigner.CreateCosignatureV1("w" + i + ".example", _witnessKeys[i], timestamp ?? Now.ToUnixTimeSeconds() - 10);

    private string WitnessVkey(int i) => Witness(i).Verifier.VerifierKey;

    private static Checkpoint Checkpoint => new(Origin, 5, new byte[32]);

    private string TwoOfThree =>
        $"""
        # trust policy
        log {LogVkey} https://ledger.example.com

        witness A {WitnessVkey(0)}
        	witness B	{WitnessVkey(1)} https://w1.example/
        witness C {WitnessVkey(2)}
        group ABC 2 A B C
        quorum ABC
        """;

    [Fact]
    public void A_policy_file_parses_into_logs_witnesses_and_its_quorum()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        policy.Logs.Single().Key.VerifierKey.ShouldBe(LogVkey);
        policy.Logs.Single().Url.ShouldBe("https://ledger.example.com");
        policy.Witnesses.Select(w => w.Name).ShouldBe(["A", "B", "C"]);
        policy.Witnesses[1].Url.ShouldBe("https://w1.example/");
        policy.QuorumName.ShouldBe("ABC");
        policy.RequiresWitnesses.ShouldBeTrue();
    }

    [Fact]
    public void A_checkpoint_signed_by_the_log_and_two_of_three_witnesses_meets_the_quorum()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        var note = Checkpoint.Sign(Log, Witness(0), Witness(2));
        var check = policy.Verify(note, Now).ShouldBeOfType<TlogPolicyCheck.Verified>();
        check.Cosigners.ShouldBe(["A", "C"]);
        check.LogKey.Name.ShouldBe(Origin);
        policy.MeetsQuorum(note, Now).ShouldBeTrue();
    }

    [Fact]
    public void A_checkpoint_signed_by_the_log_and_one_of_three_witnesses_does_not_meet_a_two_of_three_quorum()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        var note = Checkpoint.Sign(Log, Witness(1));
        var check = policy.Verify(note, Now).ShouldBeOfType<TlogPolicyCheck.QuorumNotMet>();
        check.Quorum.ShouldBe("ABC");
        check.Cosigners.ShouldBe(["B"]);
        check.Describe().ShouldContain("'ABC' is not met");
        policy.MeetsQuorum(note, Now).ShouldBeFalse();
    }

    [Fact]
    public void A_checkpoint_signed_only_by_witnesses_is_refused_even_when_they_meet_the_quorum()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        var note = Checkpoint.Sign(Witness(0), Witness(1), Witness(2));
        var check = policy.Verify(note, Now).ShouldBeOfType<TlogPolicyCheck.NoLogSignature>();
        check.WitnessOnly.ShouldBeTrue();
        check.Describe().ShouldContain("only witnesses signed it");
    }

    [Fact]
    public void A_checkpoint_signed_by_an_unlisted_log_is_refused()
    {
        using var otherKey = SigningKey.GenerateEd25519();
        using var other = NoteSigner.Create(Origin, otherKey);
        var policy = TlogPolicy.Parse(TwoOfThree);
        policy.Verify(Checkpoint.Sign(other, Witness(0), Witness(1)), Now).ShouldBeOfType<TlogPolicyCheck.NoLogSignature>().WitnessOnly.ShouldBeFalse();
    }

    [Fact]
    public void A_cosignature_from_the_future_does_not_count()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        var note = Checkpoint.Sign(Log, Witness(0), Witness(1, Now.ToUnixTimeSeconds() + 3600));
        var check = policy.Verify(note, Now).ShouldBeOfType<TlogPolicyCheck.QuorumNotMet>();
        check.Cosigners.ShouldBe(["A"]);
        check.Ignored.Single().ShouldContain("witness 'B' cosigned at");
        policy.Verify(note, now: null).ShouldBeOfType<TlogPolicyCheck.Verified>();
        policy.Verify(note, Now, allowedSkew: TimeSpan.FromHours(2)).ShouldBeOfType<TlogPolicyCheck.Verified>();
    }

    [Fact]
    public void A_forged_cosignature_by_a_known_witness_rejects_the_note()
    {
        var policy = TlogPolicy.Parse(TwoOfThree);
        var good = Checkpoint.Sign(Log, Witness(0), Witness(1));
        var forged = SignedNote.Parse(new Checkpoint(Origin, 6, new byte[32]).Sign(Log).Format().TrimEnd('\n') + "\n" + good.Signatures[2].Line + "\n");
        policy.Verify(forged, Now).ShouldBeOfType<TlogPolicyCheck.InvalidSignature>().Role.ShouldBe("witness");
    }

    [Fact]
    public void Nested_groups_all_and_any_are_evaluated()
    {
        var policy = TlogPolicy.Parse($"""
            log {LogVkey}
            witness A {WitnessVkey(0)}
            witness B {WitnessVkey(1)}
            witness C {WitnessVkey(2)}
            group AB all A B
            group C-or-AB any C AB
            quorum C-or-AB
            """);
        policy.MeetsQuorum(Checkpoint.Sign(Log, Witness(2)), Now).ShouldBeTrue();
        policy.MeetsQuorum(Checkpoint.Sign(Log, Witness(0), Witness(1)), Now).ShouldBeTrue();
        policy.MeetsQuorum(Checkpoint.Sign(Log, Witness(0)), Now).ShouldBeFalse();
        policy.IsSatisfiedBy(new HashSet<string> { "B" }).ShouldBeFalse();
        policy.IsSatisfiedBy(new HashSet<string> { "A", "B" }).ShouldBeTrue();
    }

    [Fact]
    public void A_quorum_of_one_witness_and_quorum_none_are_understood()
    {
        TlogPolicy.Parse($"log {LogVkey}\nwitness A {WitnessVkey(0)}\nquorum A").MeetsQuorum(Checkpoint.Sign(Log, Witness(0)), Now).ShouldBeTrue();
        var none = TlogPolicy.Parse($"log {LogVkey}\nquorum none\n");
        none.RequiresWitnesses.ShouldBeFalse();
        none.MeetsQuorum(Checkpoint.Sign(Log), Now).ShouldBeTrue();
    }

    [Fact]
    public void A_list_of_log_keys_is_a_policy_with_quorum_none_and_refuses_a_witness_key()
    {
        TlogPolicy.ForLogs([Log.Verifier]).MeetsQuorum(Checkpoint.Sign(Log), Now).ShouldBeTrue();
        Should.Throw<ArgumentException>(() => TlogPolicy.ForLogs([Witness(0).Verifier])).Message.ShouldContain("type 0x04");
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "log @LOG\n", "no quorum line" },
        { "quorum none\nquorum none\n", "line 2: a second quorum line" },
        { "quorum\n", "line 1: a quorum line is 'quorum <name>'" },
        { "quorum none extra\n", "line 1: a quorum line is 'quorum <name>'" },
        { "quorum X\n", "line 1: the quorum 'X' is not 'none' or a witness or group defined on an earlier line" },
        { "quorum A\nwitness A @W0\n", "line 1: the quorum 'A'" },
        { "lgo @LOG\nquorum none\n", "line 1: unknown keyword 'lgo'" },
        { "LOG @LOG\nquorum none\n", "unknown keyword 'LOG'" },
        { "log\nquorum none\n", "line 1: a log line is 'log <vkey> [<url>]'; this one has 0 items" },
        { "log @LOG https://a https://b\nquorum none\n", "this one has 3 items" },
        { "log not-a-key\nquorum none\n", "line 1: 'not-a-key' is not a verifier key" },
        { "log @W0\nquorum none\n", "line 1: the log key '@W0' is a witness cosignature key (type 0x04)" },
        { "log @LOG\nlog @LOGRENAMED\nquorum none\n", "line 2: the log key '@LOGRENAMED' has the same public key" },
        { "witness A\nquorum none\n", "line 1: a witness line is 'witness <name> <vkey> [<url>]'" },
        { "witness A @W0 url more\nquorum none\n", "this one has 4 items" },
        { "witness A @LOG\nquorum none\n", "line 1: witness 'A' has a key of signature type 0x01" },
        { "witness A bad+key+x\nquorum none\n", "line 1: 'bad+key+x' is not a verifier key" },
        { "witness none @W0\nquorum none\n", "line 1: 'none' is reserved" },
        { "witness A @W0\nwitness A @W1\nquorum none\n", "line 2: the name 'A' is already defined" },
        { "witness A @W0\nwitness B @W0RENAMED\nquorum none\n", "line 2: witness 'B' has the same public key as witness 'A'" },
        { "witness A @W0\ngroup A any A\nquorum none\n", "line 2: the name 'A' is already defined" },
        { "witness A @W0\ngroup G any\nquorum none\n", "line 2: a group line is 'group <name> all|any|<k> <name>...' with at least one member" },
        { "witness A @W0\ngroup G\nquorum none\n", "line 2: a group line" },
        { "witness A @W0\ngroup G any B\nquorum none\n", "line 2: group 'G' lists 'B', which is not a witness or group defined on an earlier line" },
        { "group G any B\nwitness B @W0\nquorum none\n", "line 1: group 'G' lists 'B'" },
        { "witness A @W0\ngroup G any A A\nquorum none\n", "line 2: group 'G' lists 'A' more than once" },
        { "witness A @W0\ngroup G any none\nquorum none\n", "line 2: group 'G' lists 'none', which cannot be a group member" },
        { "witness A @W0\ngroup none any A\nquorum none\n", "line 2: 'none' is reserved" },
        { "witness A @W0\ngroup G 0 A\nquorum none\n", "line 2: group 'G' has threshold 0; with 1 members it is between 1 and 1" },
        { "witness A @W0\ngroup G 2 A\nquorum none\n", "line 2: group 'G' has threshold 2" },
        { "witness A @W0\ngroup G -1 A\nquorum none\n", "line 2: group 'G' has threshold '-1'" },
        { "witness A @W0\ngroup G +1 A\nquorum none\n", "group 'G' has threshold '+1'" },
        { "witness A @W0\ngroup G 01 A\nquorum none\n", "group 'G' has threshold '01'" },
        { "witness A @W0\ngroup G some A\nquorum none\n", "group 'G' has threshold 'some'" },
        { "witness A @W0\ngroup G 99999999999 A\nquorum none\n", "group 'G' has threshold '99999999999'" },
        { "witness A @W0\ngroup G G A\nquorum none\n", "group 'G' has threshold 'G'" },
        { "log @LOG\r\nquorum none\n", "line 1: control character U+000D" },
        { "quorum none\n\u0001\n", "line 2: control character U+0001" },
        { "# comment\u007f\nquorum none\n", "line 1: control character U+007F" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_policy_is_refused_naming_its_line(string policy, string expected)
    {
        using var renamed = NoteSigner.Create("renamed.example/log", _logKey);
        var text = policy
            .Replace("@LOGRENAMED", renamed.Verifier.VerifierKey, StringComparison.Ordinal)
            .Replace("@LOG", LogVkey, StringComparison.Ordinal)
            .Replace("@W0RENAMED", NoteVerifier.CreateCosignatureV1("renamed.example", _witnessKeys[0].VerificationKey).VerifierKey, StringComparison.Ordinal)
            .Replace("@W0", WitnessVkey(0), StringComparison.Ordinal)
            .Replace("@W1", WitnessVkey(1), StringComparison.Ordinal);
        var expectedText = expected
            .Replace("@LOGRENAMED", renamed.Verifier.VerifierKey, StringComparison.Ordinal)
            .Replace("@LOG", LogVkey, StringComparison.Ordinal)
            .Replace("@W0", WitnessVkey(0), StringComparison.Ordinal);
        var error = Should.Throw<FormatException>(() => TlogPolicy.Parse(text));
        error.Message.ShouldContain(expectedText);
        TlogPolicy.TryParse(text, out var parsed, out var message).ShouldBeFalse();
        parsed.ShouldBeNull();
        message.ShouldBe(error.Message);
    }

    [Fact]
    public void Comments_blank_lines_tabs_and_a_missing_final_newline_are_accepted()
    {
        var policy = TlogPolicy.Parse($"  # a comment\n\n\t \nlog\t{LogVkey}\t\n  quorum   none");
        policy.Logs.Count.ShouldBe(1);
        policy.QuorumName.ShouldBe(TlogPolicy.None);
    }

    [Fact]
    public void Names_with_non_ascii_octets_are_opaque()
    {
        var policy = TlogPolicy.Parse($"log {LogVkey}\nwitness K {WitnessVkey(0)}\nwitness \u212A {WitnessVkey(1)}\nquorum \u212A\n");
        policy.MeetsQuorum(Checkpoint.Sign(Log, Witness(0)), Now).ShouldBeFalse();
        policy.MeetsQuorum(Checkpoint.Sign(Log, Witness(1)), Now).ShouldBeTrue();
    }
}
