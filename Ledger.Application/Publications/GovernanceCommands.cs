using Ledger.Application.Executions;
using Ledger.Application.Hosting;
using Ledger.Application.Registry;
using Ledger.Domain.Events;
using Ledger.Domain.Log;
using Ledger.Domain.Publications;
using Ledger.Store;

namespace Ledger.Application.Publications;

/// <summary>
/// Every write to the <c>$governance</c> stream (DESIGN §8.2): a domain's policy published by an emitter that may speak
/// for it or by an administrator, only for a domain this ledger is home for; and, at start, the home domains of the
/// configuration when they differ from the last recorded. Each decision reads the stream from the log and appends only if
/// it is still at the version read.
/// </summary>
public sealed class GovernanceCommands(LedgerNode node, LedgerRegistry registry, LedgerWriter writer)
{
    // A publication or a start of another node between reading the stream and appending asks for one more decision.
    private const int MaxAttempts = 5;

    /// <summary>The id of the <c>governance.homes-configured.v1</c> appended at <paramref name="version"/> of <c>$governance</c>.</summary>
    public static string HomesId(long version) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ledger-homes-{version}");

    /// <summary>The configured home domains (<c>Ledger:HomeDomains</c>), distinct, in configuration order.</summary>
    public IReadOnlyList<string> ConfiguredHomes => [.. node.Options.HomeDomains.Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Appends <c>governance.homes-configured.v1</c> when the configured home domains differ from the last recorded (none
    /// recorded counts as none): a ledger without home domains never writes to <c>$governance</c> on its own.
    /// </summary>
    public async Task RecordHomesAsync(CancellationToken ct)
    {
        var configured = ConfiguredHomes;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (book, version) = await GovernanceLog.ReadAsync(node.Store, ct).ConfigureAwait(false);
            if (book.HomeDomains.Count == configured.Count && configured.All(book.IsHome))
            {
                return;
            }

            var result = await writer.AppendAsync(
                GovernanceBook.StreamName, version, HomesId(version + 1), WireNames.Of<HomesConfigured>(), GovernanceBook.StreamName,
                GovernanceEventCodec.ToData(new HomesConfigured(configured)), writer.Now(), ct).ConfigureAwait(false);
            if (result is AppendResult.Appended or AppendResult.Duplicate)
            {
                return;
            }
        }

        throw new InvalidOperationException("The $governance stream kept moving while this node recorded its home domains; start again.");
    }

    /// <summary>Appends the publications of <paramref name="request"/> to <c>$governance</c>, all or nothing.</summary>
    /// <param name="principal">The emitter whose token was presented (ignored for an administrator).</param>
    /// <param name="admin">Whether an administrator's token was presented: the ledger appends in its own name.</param>
    /// <param name="request">The events, each a <c>governance.policy-published.v1</c>.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<AppendOutcome> PublishAsync(string principal, bool admin, SubmittedAppend request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var snapshot = await registry.GetAsync(ct).ConfigureAwait(false);
            var (book, version) = await GovernanceLog.ReadAsync(node.Store, ct).ConfigureAwait(false);
            var proposed = Prepare(principal, admin, request, snapshot, book, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            var guards = ExecutionCommands.Guards(snapshot);
            guards[GovernanceBook.StreamName] = version;
            AppendResult result;
            try
            {
                result = await node.Store.AppendAsync(
                    new AppendRequest(GovernanceBook.StreamName, request.ExpectedVersion, writer.Now(), proposed) { Guards = guards }, ct).ConfigureAwait(false);
            }
            catch (EntryTooLargeException e)
            {
                return new AppendOutcome.EntryTooLarge(e.EventId, e.Size, AtLeast: false);
            }

            if (AppendOutcome.Of(result) is { } outcome)
            {
                return outcome;
            }

            registry.Invalidate(); // A guard moved: read the registry and the stream again.
        }

        return new AppendOutcome.Conflict("governance-moving", "the $governance stream, the parameters or the emitters changed during every attempt; retry");
    }

    private static List<ProposedEvent> Prepare(string principal, bool admin, SubmittedAppend request, RegistrySnapshot snapshot, GovernanceBook book, out AppendOutcome? problem)
    {
        problem = null;
        var proposed = new List<ProposedEvent>(request.Events.Count);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var emitter = admin ? LedgerNode.LedgerEmitter : principal;
        for (var i = 0; i < request.Events.Count; i++)
        {
            var e = request.Events[i];
            var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"events[{i}]");
            if (!admin && !snapshot.Emitters.CanSpeakFor(principal, e.Domain))
            {
                problem = new AppendOutcome.Forbidden($"Emitter '{principal}' may not publish for domain '{e.Domain}'.");
                return proposed;
            }

            if (string.Equals(e.Type, WireNames.Of<HomesConfigured>(), StringComparison.Ordinal))
            {
                problem = new AppendOutcome.Forbidden($"Only the ledger appends {e.Type} (from its Ledger:HomeDomains setting).");
                return proposed;
            }

            if (!string.Equals(e.Type, WireNames.Of<PolicyPublished>(), StringComparison.Ordinal))
            {
                errors[at + ".type"] = [$"'{e.Type}' is not appended to {GovernanceBook.StreamName}; only {WireNames.Of<PolicyPublished>()} is"];
                continue;
            }

            if (!GovernanceEventCodec.TryParse(e.Type, e.Data, out var parsed, out var dataErrors))
            {
                errors[at + ".data"] = [.. dataErrors];
                continue;
            }

            var published = (PolicyPublished)parsed;
            if (!string.Equals(published.Domain, e.Domain, StringComparison.Ordinal))
            {
                errors[at + ".data.domain"] = [book.PublicationProblem(published, e.Domain)!];
                continue;
            }

            if (book.PublicationProblem(published, e.Domain) is { } notHome)
            {
                problem = new AppendOutcome.NotHome(published.Domain, notHome);
                return proposed;
            }

            if (admin && e.Signature is not null)
            {
                errors[at + ".signature"] = ["an administrator's publication is appended in the ledger's name and carries no signature"];
                continue;
            }

            var statement = new EmitterStatement(GovernanceBook.StreamName, e.EventId, e.Type, e.Domain, emitter, e.OccurredAt, e.Data, e.Metadata);
            var bytes = statement.ToCanonicalBytes();
            if (bytes.Length > LedgerEntry.MaxCanonicalBytes)
            {
                problem = new AppendOutcome.EntryTooLarge(e.EventId, bytes.Length, AtLeast: true);
                return proposed;
            }

            if (!admin && ExecutionCommands.CheckSignature(snapshot.Emitters.Find(principal), statement, bytes, e.Signature) is { } signatureProblem)
            {
                problem = signatureProblem;
                return proposed;
            }

            proposed.Add(new ProposedEvent(statement, e.Signature));
        }

        if (errors.Count > 0)
        {
            problem = new AppendOutcome.Invalid(errors);
        }

        return proposed;
    }
}
