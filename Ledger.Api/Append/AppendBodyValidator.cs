using System.Text.Json;
using FluentValidation;
using Ledger.Api.Hosting;
using Ledger.Application.Hosting;
using Ledger.Domain.Executions;
using Ledger.Domain.Events;
using Ledger.Domain.Log;
using Ledger.Domain.Publications;

namespace Ledger.Api.Append;

/// <summary>Shape and limits of an append body; the event data itself is checked per type by <see cref="ExecutionEventCodec"/>.</summary>
public sealed class AppendBodyValidator : AbstractValidator<AppendBody>
{
    private const string IdPattern = "^[A-Za-z0-9._:-]{1,128}$";
    private const string DomainPattern = "^[a-z0-9][a-z0-9._:-]{0,127}$";

    public AppendBodyValidator(LedgerOptions options)
    {
        var limits = options.Limits;
        RuleFor(b => b.ExpectedVersion).GreaterThanOrEqualTo(-1);
        RuleFor(b => b.Events).NotEmpty().Must(e => e.Count <= limits.MaxEventsPerAppend)
            .WithMessage($"At most {limits.MaxEventsPerAppend} events per append.");
        RuleFor(b => b.Events).Must(e => e.Select(x => x.EventId).Distinct(StringComparer.Ordinal).Count() == e.Count)
            .WithMessage("Event ids must be unique within one append.");
        RuleForEach(b => b.Events).ChildRules(e =>
        {
            e.RuleFor(x => x.EventId).NotEmpty().Matches(IdPattern).WithMessage("'eventId' must be 1 to 128 characters of [A-Za-z0-9._:-].");
            e.RuleFor(x => x.EventId).Must(id => !id.StartsWith("ledger-", StringComparison.Ordinal))
                .WithMessage("Event ids starting with 'ledger-' are reserved for the ledger.");
            e.RuleFor(x => x.Type).NotEmpty().Must(t => ExecutionEventCodec.IsExecutionEventType(t) || GovernanceEventCodec.Types.Contains(t))
                .WithMessage(x => $"'{x.Type}' is not an execution event type; known types: {string.Join(", ", ExecutionEventCodec.Types.Order(StringComparer.Ordinal))} (and {WireNames.Of<PolicyPublished>()} in {GovernanceBook.StreamName}).");
            e.RuleFor(x => x.Domain).NotEmpty().Matches(DomainPattern)
                .WithMessage("'domain' must be 1 to 128 characters of lowercase letters, digits and . _ : - (starting with a letter or digit).");
            e.RuleFor(x => x.OccurredAt).Must(o => o is null || (o.Length <= 64 && DateTimeOffset.TryParse(o, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _) && o.Contains('T', StringComparison.Ordinal)))
                .WithMessage("'occurredAt' must be an RFC 3339 timestamp.");
            e.RuleFor(x => x.Data).Must(d => d.ValueKind == JsonValueKind.Object).WithMessage("'data' must be a JSON object.");
            e.RuleFor(x => x.Data).Must(d => JsonLimits.Check(d, limits) is null)
                .WithMessage(x => JsonLimits.Check(x.Data, limits) ?? "");
            e.RuleFor(x => x.Metadata).Must(m => m is null || m.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
                .WithMessage("'metadata' must be a JSON object when present.");
            e.RuleFor(x => x.Metadata).Must(m => m is null || JsonLimits.Check(m.Value, limits) is null)
                .WithMessage(x => x.Metadata is { } m ? JsonLimits.Check(m, limits) ?? "" : "");
            e.RuleFor(x => x.Signature).ChildRules(s =>
            {
                s.RuleFor(x => x!.Alg).Must(a => a is "ecdsa-p256-sha256" or "ed25519").WithMessage("'alg' must be 'ecdsa-p256-sha256' or 'ed25519'.");
                s.RuleFor(x => x!.KeyId).NotEmpty().MaximumLength(100);
                s.RuleFor(x => x!.Value).NotEmpty().MaximumLength(200);
            }).When(x => x.Signature is not null);
            e.RuleFor(x => x.Signature).Must(s => SignatureProblem(s!) is null).WithMessage(x => SignatureProblem(x.Signature!) ?? "")
                .When(x => x.Signature is { Alg: "ecdsa-p256-sha256" or "ed25519" });
        });
    }

    // The key id and value forms of docs/FORMAT.md §2.2 (lowercase hex key id, canonical padded base64), as the
    // domain type enforces them: a malformed signature is a malformed request, not a signature that fails to verify.
    private static string? SignatureProblem(SignatureBody signature)
    {
        try
        {
            _ = new EmitterSignature(signature.Alg, signature.KeyId, signature.Value);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
