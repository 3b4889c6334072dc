using Ledger.Domain.Notes;

namespace Ledger.Verifier;

/// <summary>
/// Verifies an export bundle offline (DESIGN §7, docs/FORMAT.md §7): recomputes every leaf hash and root, checks
/// checkpoint signatures against the trusted keys only, consistency and inclusion proofs, entry canonical form,
/// positions, stream versions and chains, emitter authority and signatures, and replays the lifecycle.
/// </summary>
/// <remarks>
/// <para>Streams the bundle in constant memory apart from per-stream state (see <see cref="StreamBook"/> for what
/// grows with the number of streams). Entries are parsed and signature-checked in parallel batches; everything that
/// depends on order runs sequentially in log order.</para>
/// <para>An instance holds only configuration: <see cref="Verify"/> may be called concurrently for different bundles.</para>
/// </remarks>
public sealed class BundleVerifier
{
    private readonly TlogPolicy _policy;
    private readonly VerifierSettings _settings;

    /// <summary>Creates a verifier trusting the log keys <paramref name="trustedKeys"/> (c2sp.org/signed-note vkeys of the
    /// ledger's checkpoint key), with no witness quorum.</summary>
    /// <exception cref="ArgumentException">Two keys share a name and key id or a public key, or a key is a witness's
    /// cosignature key (a cosignature never stands for the log's signature).</exception>
    public BundleVerifier(IEnumerable<NoteVerifier> trustedKeys, VerifierSettings? settings = null)
        : this(TlogPolicy.ForLogs(trustedKeys), settings)
    {
    }

    /// <summary>Creates a verifier that accepts a checkpoint only when <paramref name="policy"/> does: signed by one of its
    /// logs under the checkpoint's origin, and cosigned by witnesses meeting its quorum (c2sp.org/tlog-policy).</summary>
    public BundleVerifier(TlogPolicy policy, VerifierSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _settings = settings ?? new VerifierSettings();
    }

    /// <summary>Verifies the bundle read from <paramref name="bundle"/> (left open).</summary>
    /// <param name="bundle">The bundle, read forward once.</param>
    /// <param name="progress">Called now and then with the number of bytes read so far.</param>
    public VerificationReport Verify(Stream bundle, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return new VerificationRun(_policy, _settings, progress).Run(bundle);
    }
}
