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
    private readonly NoteVerifierSet _trusted;
    private readonly VerifierSettings _settings;

    /// <summary>Creates a verifier trusting <paramref name="trustedKeys"/> (checkpoint signers, c2sp.org/signed-note vkeys).</summary>
    /// <exception cref="ArgumentException">Two keys share a name and key id.</exception>
    public BundleVerifier(IEnumerable<NoteVerifier> trustedKeys, VerifierSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        _trusted = new NoteVerifierSet(trustedKeys);
        _settings = settings ?? new VerifierSettings();
    }

    /// <summary>Verifies the bundle read from <paramref name="bundle"/> (left open).</summary>
    /// <param name="bundle">The bundle, read forward once.</param>
    /// <param name="progress">Called now and then with the number of bytes read so far.</param>
    public VerificationReport Verify(Stream bundle, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return new VerificationRun(_trusted, _settings, progress).Run(bundle);
    }
}
