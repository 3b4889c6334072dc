using System.Runtime.CompilerServices;
using Ledger.Domain.Bundles;
using Ledger.Domain.Crypto;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Log;
using Ledger.Domain.Parameters;
using Ledger.Domain.Publications;
using Ledger.Domain.Witnessing;

namespace Ledger.Verifier;

// Entries: position and origin, stream chains, emitter authority and signatures, configuration, lifecycle, scope.
internal sealed partial class VerificationRun
{
    private readonly HashSet<string> _lineageMembers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lineageOutsiders = new(StringComparer.Ordinal);
    private long _scopeEntries;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per entry from the first on, see EntryPreparer.Prepare
    private void OnEntry(PreparedEntry prepared, bool proved)
    {
        var attestation = _pendingAttestation;
        _pendingAttestation = null;
        long position;
        if (proved)
        {
            position = CheckInclusion(prepared);
        }
        else
        {
            position = _range!.Size;
            _range.Append(prepared.LeafHash);
        }

        if (_settings.HashesOnly)
        {
            return;
        }

        if (prepared.Entry is not { } entry)
        {
            _log.Fail(prepared.ParseErrorCode ?? "entry.malformed", position, null,
                "the entry is not a canonical, well-formed ledger entry: " + prepared.ParseError);
            return;
        }

        if (attestation is not null && !(prepared.Event is ParentAttested or GovernanceAttested && string.Equals(entry.Emitter, BundleFormat.LedgerEmitter, StringComparison.Ordinal)))
        {
            _log.Fail("bundle.attestation-misplaced", position, null,
                $"an attestation record precedes a {entry.Type} entry; it belongs right before the federation.parent-attested.v1 or federation.governance-attested.v1 entry that names it");
            attestation = null;
        }

        if (entry.Position != position)
        {
            _log.Fail("entry.position-mismatch", position, null,
                FormattableString.Invariant($"the entry at position {position} says it is at position {entry.Position}: entries were removed, added or reordered"),
                new EvidenceBuilder().Add("expected position", position).Add("found position", entry.Position));
        }

        if (!string.Equals(entry.Origin, _header.Origin, StringComparison.Ordinal))
        {
            _log.Fail("entry.origin-mismatch", position, null,
                $"the entry is of log '{entry.Origin}', not of the bundle's log '{_header.Origin}'",
                new EvidenceBuilder().Add("expected origin", _header.Origin).Add("found origin", entry.Origin));
        }

        var context = BundleExport.ContextStreams.Contains(entry.Stream, StringComparer.Ordinal);
        var incompleteAllowed = _header.Kind == BundleKind.Full && _header.From > 0 && !context;
        var view = _streams.Track(entry, prepared.LeafHash, position, incompleteAllowed, _log);
        // Every '$' stream ($ledger, $emitters, $tokens) is the ledger's own: only the ledger appends to it; in
        // $governance, an emitter that may speak for a domain publishes its policy too.
        var published = string.Equals(entry.Stream, GovernanceBook.StreamName, StringComparison.Ordinal) && prepared.Event is PolicyPublished;
        CheckEmitter(entry, prepared, position, (context || entry.Stream.StartsWith('$')) && !published);
        if (string.Equals(entry.Stream, LedgerParameters.StreamName, StringComparison.Ordinal))
        {
            OnParameters(entry, prepared, position);
        }
        else if (string.Equals(entry.Stream, GovernanceBook.StreamName, StringComparison.Ordinal))
        {
            OnGovernance(entry, prepared, position);
        }
        else if (string.Equals(entry.Stream, EmitterRegistry.StreamName, StringComparison.Ordinal))
        {
            OnRegistry(entry, prepared, position);
        }
        else if (entry.Stream.StartsWith(ExecutionId.StreamPrefix, StringComparison.Ordinal))
        {
            _replay!.NextAttestation = attestation;
            _replay.Apply(entry, prepared.Event as IExecutionEvent, prepared.EventErrors, position, view);
            _proofs!.OnEntry(entry, prepared.LeafHash, prepared.Event as IExecutionEvent, position, view);
        }
        else if (string.Equals(entry.Stream, WitnessStreams.Federation, StringComparison.Ordinal))
        {
            OnFederation(entry, position);
        }
        else if (ExecutionEventCodec.IsExecutionEventType(entry.Type))
        {
            _log.Fail("lifecycle.outside-execution-stream", position, null,
                $"a {entry.Type} event in stream '{entry.Stream}': execution events belong to execution-{{id}} streams; the ledger should have refused it");
        }

        if (_header.Kind != BundleKind.Full && !context)
        {
            CheckScope(entry, prepared, view, position);
        }
    }

    /// <summary>
    /// A <c>federation.split-view-detected.v1</c>: its evidence must show two views of its origin (FORMAT §6.6.3); the
    /// replay then accepts <c>peer-split-view</c> ends under that origin after it.
    /// </summary>
    private void OnFederation(LedgerEntry entry, long position)
    {
        if (!FederationEventCodec.TryParse(entry.Type, entry.Data, out var @event, out var errors) || @event is not SplitViewDetected split)
        {
            if (entry.Type == WireNames.Of<SplitViewDetected>())
            {
                _log.Fail("federation.split-view-malformed", position, null,
                    "the split-view record's data is not valid: " + string.Join("; ", errors));
            }

            return;
        }

        if (SplitViewEvidence.Problem(split) is { } problem)
        {
            _log.Fail("federation.split-view-evidence-invalid", position, null,
                $"the split-view record of '{split.Origin}' does not show two views: {problem}",
                new EvidenceBuilder().Add("origin", split.Origin).Add("kind", FederationEventCodec.NameOf(split.Kind)));
            return;
        }

        _replay?.SplitViews.TryAdd(split.Origin, position);
        _splitViews.Add(new SplitViewRecord(_header.Origin, position, _log.Line, split));
    }

    private void CheckEmitter(LedgerEntry entry, PreparedEntry prepared, long position, bool configuration)
    {
        var byLedger = string.Equals(entry.Emitter, BundleFormat.LedgerEmitter, StringComparison.Ordinal);
        if (configuration && !byLedger)
        {
            _log.Fail("configuration.not-by-ledger", position, null,
                $"'{entry.Stream}' holds the ledger's configuration; only the ledger ({BundleFormat.LedgerEmitter}) appends to it, not emitter '{entry.Emitter}'");
            return;
        }

        if (byLedger)
        {
            return;
        }

        var emitter = _registry.Find(entry.Emitter);
        if (emitter is null)
        {
            _log.Fail("emitter.unknown", position, null, $"emitter '{entry.Emitter}' is not registered in $emitters at this position");
            return;
        }

        if (emitter.IsRevoked)
        {
            _log.Fail("emitter.revoked", position, null, $"emitter '{entry.Emitter}' was revoked ({emitter.RevocationReason}) before this entry");
        }

        if (!emitter.Covers(entry.Domain))
        {
            _log.Fail("emitter.domain-not-covered", position, null,
                $"emitter '{entry.Emitter}' may speak for {string.Join(", ", emitter.Domains)}, not for domain '{entry.Domain}'",
                new EvidenceBuilder().Add("emitter domains", string.Join(", ", emitter.Domains)).Add("entry domain", entry.Domain));
        }

        CheckSignature(entry, prepared, position, emitter);
    }

    private void CheckSignature(LedgerEntry entry, PreparedEntry prepared, long position, EmitterEntry emitter)
    {
        if (entry.Signature is not { } signature)
        {
            if (emitter.SignaturesRequired)
            {
                _log.Fail("emitter.signature-missing", position, null, $"emitter '{emitter.Name}' must sign its events; this one is unsigned");
            }

            return;
        }

        var key = emitter.PublicKey is null ? null : Key(emitter.PublicKey);
        if (key is null)
        {
            _log.Fail("emitter.no-key", position, null, $"the entry is signed but emitter '{emitter.Name}' has no valid registered key");
            return;
        }

        if (!string.Equals(signature.KeyId, key.KeyId, StringComparison.Ordinal))
        {
            _log.Fail("emitter.key-mismatch", position, null,
                $"the entry is signed by key {signature.KeyId}, which is not the key registered for emitter '{emitter.Name}'",
                new EvidenceBuilder().Add("expected key id", key.KeyId).Add("found key id", signature.KeyId));
            return;
        }

        var state = prepared.Signature;
        if (state == SignatureState.Deferred)
        {
            try
            {
                state = EntryPreparer.Verify(prepared.Bytes.Span, signature, key);
            }
            catch (PlatformNotSupportedException e)
            {
                _log.Fail("emitter.signature-unverifiable", position, null, "the signature cannot be checked on this machine: " + e.Message);
                return;
            }
        }

        if (state == SignatureState.Valid)
        {
            _signaturesVerified++;
            return;
        }

        _log.Fail("emitter.signature-invalid", position, null,
            $"the signature of emitter '{emitter.Name}' does not verify over the entry's statement: the entry was altered after signing",
            new EvidenceBuilder().Add("key id", signature.KeyId).Add("statement digest", entry.Statement.Digest()));
    }

    private VerificationKey? Key(string text)
    {
        if (_keysByText.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var key = VerificationKey.TryParse(text, out var parsed, out _) ? parsed : null;
        _keysByText[text] = key;
        if (key is not null)
        {
            _keysById.TryAdd(key.KeyId, key);
        }

        return key;
    }

    private void OnParameters(LedgerEntry entry, PreparedEntry prepared, long position)
    {
        if (prepared.Event is not PolicyConfigured configured)
        {
            _log.Fail("configuration.malformed-event", position, null,
                $"the {entry.Type} entry in $ledger is not a valid ledger.policy-configured.v1 event",
                new EvidenceBuilder().Add("errors", string.Join("; ", prepared.EventErrors ?? [])));
            return;
        }

        try
        {
            _replay!.Parameters = LedgerParameters.Evolve(_replay.Parameters, configured);
        }
        catch (ArgumentOutOfRangeException e)
        {
            _log.Fail("configuration.malformed-event", position, null, "the parameters are out of range: " + e.Message);
        }
    }

    private void OnGovernance(LedgerEntry entry, PreparedEntry prepared, long position)
    {
        if (prepared.Event is not IGovernanceEvent change)
        {
            _log.Fail("configuration.malformed-event", position, null,
                $"the {entry.Type} entry in {GovernanceBook.StreamName} is not a valid governance event",
                new EvidenceBuilder().Add("errors", string.Join("; ", prepared.EventErrors ?? [])));
            return;
        }

        if (change is PolicyPublished published && _replay!.Governance.PublicationProblem(published, entry.Domain) is { } problem)
        {
            _log.Fail("governance.publication-refused", position, null,
                "the ledger should have refused this publication (nothing appended): " + problem,
                new EvidenceBuilder().Add("domain", published.Domain).Add("home domains", string.Join(", ", _replay.Governance.HomeDomains.Order(StringComparer.Ordinal))));
        }

        _replay!.Governance = GovernanceBook.Evolve(_replay.Governance, change, position, entry.RecordedAt);
    }

    private void OnRegistry(LedgerEntry entry, PreparedEntry prepared, long position)
    {
        if (prepared.Event is not IEmitterEvent change)
        {
            _log.Fail("configuration.malformed-event", position, null,
                $"the {entry.Type} entry in $emitters is not a valid emitter event",
                new EvidenceBuilder().Add("errors", string.Join("; ", prepared.EventErrors ?? [])));
            return;
        }

        if (_registry.Check(change) is { } problem)
        {
            _log.Fail("configuration.refused", position, null, "the registry should have refused this change: " + problem);
        }

        if (change is EmitterRegistered { PublicKey: { } text } && Key(text) is null)
        {
            _log.Fail("configuration.invalid-key", position, null, $"emitter '{change.Name}' is registered with a key that is not a valid public key");
        }

        _registry = EmitterRegistry.Evolve(_registry, change);
    }

    private void CheckScope(LedgerEntry entry, PreparedEntry prepared, StreamView view, long position)
    {
        if (_header.Kind == BundleKind.Stream)
        {
            if (string.Equals(entry.Stream, _header.Stream, StringComparison.Ordinal))
            {
                _scopeEntries++;
                return;
            }

            _log.Fail("scope.foreign-entry", position, null,
                $"the bundle exports stream '{_header.Stream}' but holds an entry of stream '{entry.Stream}'");
            return;
        }

        if (!ExecutionId.TryFromStreamName(entry.Stream, out var id))
        {
            _log.Fail("scope.foreign-entry", position, null,
                $"the bundle exports the lineage tree of '{_header.Execution}' but holds an entry of stream '{entry.Stream}'");
            return;
        }

        if (view.IsNew)
        {
            var parent = (prepared.Event as IntentDeclared)?.Parent;
            var member = string.Equals(id.Value, _header.Execution, StringComparison.Ordinal)
                         || (parent is not null && string.Equals(parent.Ledger, _header.Origin, StringComparison.Ordinal)
                             && _lineageMembers.Contains(parent.ExecutionId.Value));
            if (member)
            {
                _lineageMembers.Add(id.Value);
            }
        }

        if (_lineageMembers.Contains(id.Value))
        {
            _scopeEntries++;
            return;
        }

        if (_lineageOutsiders.Add(id.Value))
        {
            _log.Fail("scope.outside-lineage", position, null,
                $"execution '{id}' does not descend from '{_header.Execution}' within the bundle (its intent does not name a parent in the tree)");
        }
    }

    private void CheckScopeAtEnd()
    {
        if (!_settings.HashesOnly && _scopeEntries == 0)
        {
            _log.Fail("scope.empty", null, null,
                $"the bundle is an {_header.Describe()} but holds no entry of it");
        }
    }
}
