namespace Ledger.Application.Hosting;

/// <summary>Configuration of one ledger node, bound from the <c>Ledger</c> section (appsettings, environment <c>Ledger__*</c>, command line).</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>Where the ledger keeps its key, the SQLite database and the development credentials.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Engine { get; set; } = "sqlite";

    /// <summary>Connection string; for SQLite defaults to <c>&lt;data-dir&gt;/ledger.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The log's origin line in checkpoints and entries.</summary>
    public string Origin { get; set; } = "ledger.local/log";

    /// <summary>Name of the ledger's signing key in signed notes; defaults to the origin.</summary>
    public string? KeyName { get; set; }

    /// <summary><c>ed25519</c> (default: signed-note type 0x01, which every C2SP verifier reads) or <c>ecdsa-p256</c>
    /// (type 0x02, for keys held in a KMS or HSM); used only when the key is first created: a key on disk keeps its type.</summary>
    public string KeyAlgorithm { get; set; } = "ed25519";

    /// <summary>How often a checkpoint is signed when the log grew.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the silence sweep looks for executions past a deadline.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often unfinished cascades are looked for (a denial or halt also wakes the job at once).</summary>
    public TimeSpan CascadeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the proof job appends the proofs of finished lineage trees covered by a checkpoint.</summary>
    public TimeSpan ProofInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most lineage trees proven per proof tick.</summary>
    public int ProofTreesPerTick { get; set; } = 100;

    public LedgerLimits Limits { get; set; } = new();

    /// <summary>The witnesses this ledger submits its checkpoints to (name, submission URL, cosignature vkey); the same
    /// as a policy with <c>quorum none</c>. Not together with <see cref="WitnessPolicy"/>.</summary>
    public List<Witnessing.WitnessEndpointOptions> Witnesses { get; set; } = [];

    /// <summary>Path of a C2SP tlog-policy file: this log's key, the witnesses (with URLs to submit to), groups and the
    /// quorum that receipts' checkpoints must meet.</summary>
    public string? WitnessPolicy { get; set; }

    /// <summary>How often the witness client submits when no checkpoint woke it (a witness that was down catches up).</summary>
    public TimeSpan WitnessInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one add-checkpoint request may take.</summary>
    public TimeSpan WitnessTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The ledger as a witness of other logs (section <c>Ledger:Witness</c>).</summary>
    public Witnessing.WitnessOptions Witness { get; set; } = new();

    /// <summary>
    /// The domains this ledger is home for (DESIGN §8.2): it publishes their policy digests in <c>$governance</c>, and a
    /// <c>governance-synchronized</c> claim for one of them is checked against the latest publication. A domain may not
    /// also be a peer's home domain.
    /// </summary>
    public List<string> HomeDomains { get; set; } = [];

    /// <summary>The peer ledgers whose executions may be parents here (DESIGN §8.2); keys come only from here.</summary>
    public List<Federation.PeerOptions> Peers { get; set; } = [];

    /// <summary>How often the follow job pulls the attestations of the remote parents of open executions.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one request to a peer may take.</summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Input limits of the append path.</summary>
public sealed class LedgerLimits
{
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public int MaxEventsPerAppend { get; set; } = 64;

    public int MaxStringLength { get; set; } = 1024;

    public int MaxArrayLength { get; set; } = 256;

    public int MaxEntriesPerRead { get; set; } = 1000;
}
