namespace Ledger.Application.Witnessing;

/// <summary>The ledger as a C2SP tlog-witness: its key name and the logs it witnesses (section <c>Ledger:Witness</c>).</summary>
public sealed class WitnessOptions
{
    /// <summary>The witness key's name on cosignature lines when the key is created; defaults to <c>&lt;origin&gt;/witness</c>.
    /// A key file that exists keeps its name.</summary>
    public string? KeyName { get; set; }

    /// <summary>The logs this ledger witnesses; empty: it cosigns nothing (every submission is 404).</summary>
    public List<WitnessedLogOptions> Logs { get; set; } = [];
}

/// <summary>One witnessed log: its origin line and the verifier keys (vkeys) of its log key(s).</summary>
public sealed class WitnessedLogOptions
{
    /// <summary>The log's checkpoint origin line.</summary>
    public string? Origin { get; set; }

    /// <summary>The log's verifier keys, <c>name+hex(id)+base64(type ‖ key)</c> (Ed25519 0x01, ECDSA 0x02 or RFC 6962 0x05).</summary>
    public List<string> Keys { get; set; } = [];
}
