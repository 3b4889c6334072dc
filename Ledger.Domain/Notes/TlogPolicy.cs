using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Ledger.Domain.Notes;

/// <summary>
/// A transparency log trust policy, c2sp.org/tlog-policy: the logs whose signatures are accepted, the witnesses whose
/// cosignatures count, witness groups, and the quorum a checkpoint's cosignatures must meet.
/// </summary>
/// <remarks>
/// <para>Parsing is strict: lines <c>log &lt;vkey&gt; [&lt;url&gt;]</c>, <c>witness &lt;name&gt; &lt;vkey&gt; [&lt;url&gt;]</c>,
/// <c>group &lt;name&gt; all|any|&lt;k&gt; &lt;name&gt;...</c> and exactly one <c>quorum &lt;name&gt;</c>, items separated by
/// spaces and tabs; blank lines and lines whose first non-blank character is <c>#</c> are ignored. A group or the
/// quorum names only witnesses and groups defined on earlier lines; a name is defined once; <c>none</c> is reserved
/// for the quorum; a group lists each member once and 1 ≤ k ≤ n. Log keys are plain note keys (type 0x01, 0x02 or
/// 0x05); witness keys are cosignature/v1 keys (type 0x04). Two logs, or two witnesses, may not wrap the same public
/// key. Only tab, newline and the octets 0x20–0x7E and 0x80 and above may appear. Every error names its line.</para>
/// <para>A checkpoint meets the policy (<see cref="Verify"/>) when it is signed by a listed log (c2sp.org/tlog-proof,
/// "Verifying", step 2: a witness's cosignature never stands for it; the log key's name is not required to be the
/// origin, since a ledger's key name is configurable, though by default it is), no signature by a listed key fails, and the
/// witnesses whose cosignatures verify meet the quorum. A cosignature whose timestamp is later than the verifier's
/// clock (plus <see cref="Verify"/>'s allowed skew) does not count (c2sp.org/tlog-cosignature).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed class TlogPolicy
{
    /// <summary>The predefined quorum name that requires no cosignature.</summary>
    public const string None = "none";

    private readonly Dictionary<string, Node> _names;
    private readonly Node? _quorum;

    private TlogPolicy(IReadOnlyList<PolicyLog> logs, IReadOnlyList<PolicyWitness> witnesses, Dictionary<string, Node> names, string quorumName, Node? quorum)
    {
        Logs = logs;
        Witnesses = witnesses;
        _names = names;
        QuorumName = quorumName;
        _quorum = quorum;
        LogVerifiers = new NoteVerifierSet(logs.Select(l => l.Key));
    }

    /// <summary>The accepted logs, in file order.</summary>
    public IReadOnlyList<PolicyLog> Logs { get; }

    /// <summary>The known witnesses, in file order.</summary>
    public IReadOnlyList<PolicyWitness> Witnesses { get; }

    /// <summary>The name on the quorum line (<see cref="None"/> when no cosignature is required).</summary>
    public string QuorumName { get; }

    /// <summary>Whether the quorum requires any cosignature.</summary>
    public bool RequiresWitnesses => _quorum is not null;

    /// <summary>The log keys as a verifier set.</summary>
    public NoteVerifierSet LogVerifiers { get; }

    /// <summary>A policy that accepts checkpoints signed by any of <paramref name="logKeys"/> and requires no cosignature
    /// (<c>quorum none</c>): what a list of trusted log keys means.</summary>
    /// <exception cref="ArgumentException">A key that is not a log key (a cosignature key), or two keys wrapping the same public key.</exception>
    public static TlogPolicy ForLogs(IEnumerable<NoteVerifier> logKeys)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        var logs = new List<PolicyLog>();
        foreach (var key in logKeys)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (LogKeyProblem(key, logs) is { } problem)
            {
                throw new ArgumentException(problem, nameof(logKeys));
            }

            logs.Add(new PolicyLog(key, null));
        }

        return new TlogPolicy(logs, [], new Dictionary<string, Node>(StringComparer.Ordinal), None, null);
    }

    /// <summary>This policy with <paramref name="logKeys"/> accepted as logs too (keys given beside a policy file).</summary>
    /// <exception cref="ArgumentException">A cosignature key, or a key already listed.</exception>
    public TlogPolicy WithLogs(IEnumerable<NoteVerifier> logKeys)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        var logs = Logs.ToList();
        foreach (var key in logKeys)
        {
            ArgumentNullException.ThrowIfNull(key);
            if (LogKeyProblem(key, logs) is { } problem)
            {
                throw new ArgumentException(problem, nameof(logKeys));
            }

            logs.Add(new PolicyLog(key, null));
        }

        return new TlogPolicy(logs, Witnesses, _names, QuorumName, _quorum);
    }

    /// <summary>Parses a policy file.</summary>
    /// <exception cref="FormatException">The policy is malformed; the message names the line and what is wrong.</exception>
    public static TlogPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var logs = new List<PolicyLog>();
        var witnesses = new List<PolicyWitness>();
        var names = new Dictionary<string, Node>(StringComparer.Ordinal);
        string? quorumName = null;
        Node? quorum = null;
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var line = lines[i];
            CheckCharacters(line, number);
            var items = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (items.Length == 0 || items[0].StartsWith('#'))
            {
                continue;
            }

            switch (items[0])
            {
                case "log":
                    Arity(items, 2, 3, "log <vkey> [<url>]", number);
                    var logKey = ParseKey(items[1], number);
                    if (LogKeyProblem(logKey, logs) is { } logProblem)
                    {
                        throw Error(number, logProblem);
                    }

                    logs.Add(new PolicyLog(logKey, items.Length == 3 ? items[2] : null));
                    break;

                case "witness":
                    Arity(items, 3, 4, "witness <name> <vkey> [<url>]", number);
                    var witnessName = NewName(items[1], names, number);
                    var witnessKey = ParseKey(items[2], number);
                    if (witnessKey.SignatureType != NoteSignatureType.CosignatureV1)
                    {
                        throw Error(number, $"witness '{witnessName}' has a key of signature type 0x{witnessKey.SignatureType:x2}; a witness key is a cosignature/v1 key (type 0x04, c2sp.org/tlog-cosignature)");
                    }

                    if (witnesses.FirstOrDefault(w => SameKey(w.Key, witnessKey)) is { } sameWitness)
                    {
                        throw Error(number, $"witness '{witnessName}' has the same public key as witness '{sameWitness.Name}'");
                    }

                    var witness = new PolicyWitness(witnessName, witnessKey, items.Length == 4 ? items[3] : null);
                    witnesses.Add(witness);
                    names.Add(witnessName, new Node(witnessName, witness, 0, []));
                    break;

                case "group":
                    if (items.Length < 4)
                    {
                        throw Error(number, "a group line is 'group <name> all|any|<k> <name>...' with at least one member");
                    }

                    var groupName = NewName(items[1], names, number);
                    var members = new List<Node>();
                    foreach (var member in items.Skip(3))
                    {
                        if (member == None)
                        {
                            throw Error(number, $"group '{groupName}' lists 'none', which cannot be a group member");
                        }

                        if (!names.TryGetValue(member, out var node))
                        {
                            throw Error(number, $"group '{groupName}' lists '{member}', which is not a witness or group defined on an earlier line");
                        }

                        if (members.Contains(node))
                        {
                            throw Error(number, $"group '{groupName}' lists '{member}' more than once");
                        }

                        members.Add(node);
                    }

                    var threshold = items[2] switch
                    {
                        "all" => members.Count,
                        "any" => 1,
                        _ => ParseThreshold(items[2], members.Count, groupName, number),
                    };
                    names.Add(groupName, new Node(groupName, null, threshold, members));
                    break;

                case "quorum":
                    Arity(items, 2, 2, "quorum <name>", number);
                    if (quorumName is not null)
                    {
                        throw Error(number, "a second quorum line; a policy has exactly one");
                    }

                    quorumName = items[1];
                    if (quorumName != None && !names.TryGetValue(quorumName, out quorum))
                    {
                        throw Error(number, $"the quorum '{quorumName}' is not 'none' or a witness or group defined on an earlier line");
                    }

                    break;

                default:
                    throw Error(number, $"unknown keyword '{items[0]}'; a line is 'log', 'witness', 'group' or 'quorum'");
            }
        }

        return quorumName is null
            ? throw new FormatException("The policy has no quorum line; it needs exactly one ('quorum none' to require no cosignature).")
            : new TlogPolicy(logs, witnesses, names, quorumName, quorum);
    }

    /// <summary>Parses a policy file; false (and the reason) instead of an exception.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out TlogPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        try
        {
            policy = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            policy = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="note"/> is a checkpoint signed by a listed log whose cosignatures meet the quorum.</summary>
    /// <param name="note">The signed checkpoint.</param>
    /// <param name="now">The verifier's clock, to ignore cosignatures from the future; null to skip that check.</param>
    public bool MeetsQuorum(SignedNote note, DateTimeOffset? now = null) => Verify(note, now).IsVerified;

    /// <summary>Whether the witnesses named in <paramref name="cosigners"/> (by their policy names) meet the quorum.</summary>
    public bool IsSatisfiedBy(IReadOnlySet<string> cosigners)
    {
        ArgumentNullException.ThrowIfNull(cosigners);
        return _quorum is null || Witnessed(_quorum, cosigners);
    }

    /// <summary>Checks <paramref name="note"/> against the policy; see the remarks of <see cref="TlogPolicy"/>.</summary>
    /// <param name="note">The signed checkpoint.</param>
    /// <param name="now">The verifier's clock; null to accept cosignature timestamps of any time.</param>
    /// <param name="allowedSkew">How far in the future of <paramref name="now"/> a cosignature may be (default 5 minutes).</param>
    /// <exception cref="PlatformNotSupportedException">An Ed25519 key signed and libcrypto with Ed25519 is not available.</exception>
    public TlogPolicyCheck Verify(SignedNote note, DateTimeOffset? now = null, TimeSpan? allowedSkew = null)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (!Checkpoint.TryParse(note.Text, out var checkpoint, out var error))
        {
            return new TlogPolicyCheck.Malformed(error);
        }

        var text = Encoding.UTF8.GetBytes(note.Text);
        NoteVerifier? logKey = null;
        var cosigners = new List<string>();
        var ignored = new List<string>();
        var seen = new HashSet<(string, uint)>();
        var witnessOnly = note.Signatures.Count > 0;
        var latest = now is { } clock ? clock.ToUnixTimeSeconds() + (long)(allowedSkew ?? TimeSpan.FromMinutes(5)).TotalSeconds : long.MaxValue;
        foreach (var signature in note.Signatures)
        {
            if (!seen.Add((signature.Name, signature.KeyId)))
            {
                continue;
            }

            if (LogVerifiers.Find(signature.Name, signature.KeyId) is { } log)
            {
                witnessOnly = false;
                if (!log.Verify(text, signature.Signature))
                {
                    return new TlogPolicyCheck.InvalidSignature(signature.Name, signature.KeyId, "log");
                }

                logKey ??= log;
                continue;
            }

            var witness = Witnesses.FirstOrDefault(w => w.Key.Name == signature.Name && w.Key.KeyId == signature.KeyId);
            if (witness is null)
            {
                witnessOnly = false;
                continue;
            }

            if (!witness.Key.Verify(text, signature.Signature))
            {
                return new TlogPolicyCheck.InvalidSignature(signature.Name, signature.KeyId, "witness");
            }

            CosignatureV1.TryGetTimestamp(signature, out var timestamp);
            if (timestamp > latest)
            {
                ignored.Add(string.Create(CultureInfo.InvariantCulture,
                    $"witness '{witness.Name}' cosigned at {timestamp}, later than the verifier's clock {now!.Value.ToUnixTimeSeconds()}"));
                continue;
            }

            cosigners.Add(witness.Name);
        }

        if (logKey is null)
        {
            return new TlogPolicyCheck.NoLogSignature(checkpoint.Origin, [.. note.Signatures.Select(s => s.Name).Distinct(StringComparer.Ordinal)], witnessOnly);
        }

        return IsSatisfiedBy(cosigners.ToHashSet(StringComparer.Ordinal))
            ? new TlogPolicyCheck.Verified(checkpoint, logKey, cosigners, ignored)
            : new TlogPolicyCheck.QuorumNotMet(QuorumName, cosigners, ignored);
    }

    private static bool Witnessed(Node node, IReadOnlySet<string> cosigners) =>
        node.Witness is not null
            ? cosigners.Contains(node.Name)
            : node.Members.Count(m => Witnessed(m, cosigners)) >= node.Threshold;

    private static string? LogKeyProblem(NoteVerifier key, IEnumerable<PolicyLog> logs)
    {
        if (key.SignatureType == NoteSignatureType.CosignatureV1)
        {
            return $"the log key '{key.VerifierKey}' is a witness cosignature key (type 0x04); a log signs its checkpoints with a plain note key (type 0x01 or 0x02)";
        }

        return logs.FirstOrDefault(l => SameKey(l.Key, key)) is { } same
            ? $"the log key '{key.VerifierKey}' has the same public key as the log key '{same.Key.VerifierKey}'"
            : null;
    }

    /// <summary>Two vkeys are duplicates when they wrap the same public key, whatever their names and ids.</summary>
    private static bool SameKey(NoteVerifier a, NoteVerifier b) =>
        a.PublicKey.ExportPublicKey().AsSpan().SequenceEqual(b.PublicKey.ExportPublicKey());

    private static NoteVerifier ParseKey(string vkey, int number)
    {
        try
        {
            return NoteVerifier.Parse(vkey);
        }
        catch (FormatException e)
        {
            throw Error(number, $"'{vkey}' is not a verifier key: {e.Message}");
        }
    }

    private static string NewName(string name, Dictionary<string, Node> names, int number)
    {
        if (name == None)
        {
            throw Error(number, "'none' is reserved for the quorum and cannot name a witness or group");
        }

        return names.ContainsKey(name) ? throw Error(number, $"the name '{name}' is already defined on an earlier line") : name;
    }

    private static int ParseThreshold(string text, int members, string group, int number)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0')
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
        {
            throw Error(number, $"group '{group}' has threshold '{text}'; it is 'all', 'any' or a decimal number k with 1 <= k <= {members}");
        }

        return k >= 1 && k <= members
            ? k
            : throw Error(number, string.Create(CultureInfo.InvariantCulture, $"group '{group}' has threshold {k}; with {members} members it is between 1 and {members}"));
    }

    private static void Arity(string[] items, int min, int max, string form, int number)
    {
        if (items.Length < min || items.Length > max)
        {
            throw Error(number, string.Create(CultureInfo.InvariantCulture, $"a {items[0]} line is '{form}'; this one has {items.Length - 1} items after '{items[0]}'"));
        }
    }

    private static void CheckCharacters(string line, int number)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                throw Error(number, string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)c:X4} at column {i + 1}; only tab is allowed"));
            }
        }
    }

    private static FormatException Error(int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Policy line {line}: {message}."));

    /// <summary>A witness or a group: a witness is witnessed when it cosigned; a group when at least
    /// <see cref="Threshold"/> of its members are.</summary>
    private sealed record Node(string Name, PolicyWitness? Witness, int Threshold, IReadOnlyList<Node> Members);
}
