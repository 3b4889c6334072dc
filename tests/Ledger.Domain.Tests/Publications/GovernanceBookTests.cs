using System.Text.Json;
using Ledger.Domain.Executions;
using Ledger.Domain.Publications;
using Ledger.Domain.Parameters;
using Ledger.Domain.Tests.Executions;
using static Ledger.Domain.Tests.Executions.Sample;

namespace Ledger.Domain.Tests.Publications;

/// <summary>The governance rule across ledgers (DESIGN §8.2): a claim for a home domain against the latest publication.</summary>
public sealed class GovernanceBookTests
{
    private static readonly LedgerParameters TenMinutes = new(TimeSpan.FromMinutes(10), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

    private static GovernanceBook Homes(params string[] domains) =>
        GovernanceBook.Evolve(GovernanceBook.Empty, new HomesConfigured(domains), 0, T0.AddMinutes(-30));

    private static GovernanceBook Publish(GovernanceBook book, string domain, string digest, DateTimeOffset at, long position = 5) =>
        GovernanceBook.Evolve(book, new PolicyPublished(domain, "policy-7", digest), position, at);

    private static Lifecycle Declared(GovernanceBook book) => Lifecycle.Given(UpTo(ExecutionStatus.Declared)).At(At(1)).WithGovernance(book);

    [Fact]
    public void A_claim_matching_the_latest_publication_of_a_home_domain_is_accepted() =>
        Declared(Publish(Homes(Origin), Origin, PolicyDigest, At(0))).When(Governance()).ThenAccepted();

    [Fact]
    public void A_claim_for_a_home_domain_without_publication_is_denied_governance_stale() =>
        Declared(Homes(Origin)).When(Governance()).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain("no policy published");

    [Fact]
    public void A_claim_for_a_home_domain_with_another_digest_than_published_is_denied_governance_inconsistent()
    {
        var denied = Declared(Publish(Homes(Origin), Origin, Digest('q'), At(0))).When(Governance()).ThenDenied(Reason.GovernanceInconsistent);

        denied.Detail.ShouldContain(Digest('q'));
        denied.Detail.ShouldContain(PolicyDigest);
    }

    [Fact]
    public void Only_the_latest_publication_counts()
    {
        var book = Publish(Publish(Homes(Origin), Origin, PolicyDigest, At(0), 5), Origin, Digest('q'), At(0, 30), 6);

        Declared(book).When(Governance()).ThenDenied(Reason.GovernanceInconsistent);
        Declared(Publish(book, Origin, PolicyDigest, At(0, 40), 7)).When(Governance()).ThenAccepted();
    }

    [Fact]
    public void A_publication_older_than_max_policy_age_at_the_claim_is_denied_governance_stale() =>
        Declared(Publish(Homes(Origin), Origin, PolicyDigest, At(1).AddMinutes(-10).AddTicks(-10))).With(TenMinutes)
            .When(Governance()).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain("last published");

    [Fact]
    public void A_publication_exactly_max_policy_age_old_is_accepted() =>
        Declared(Publish(Homes(Origin), Origin, PolicyDigest, At(1).AddMinutes(-10))).With(TenMinutes).When(Governance()).ThenAccepted();

    [Fact]
    public void A_domain_this_ledger_is_not_home_for_keeps_todays_rule()
    {
        // Partner has a publication with another digest, but this ledger is home for Origin only: Partner is not checked.
        var book = Publish(Publish(Homes(Origin), Origin, PolicyDigest, At(0)), Partner, Digest('q'), At(0));

        Declared(book).When(Governance()).ThenAccepted();
        Declared(GovernanceBook.Empty).When(Governance()).ThenAccepted();
    }

    [Fact]
    public void Every_home_domain_among_the_synced_ones_is_checked()
    {
        var book = Publish(Homes(Origin, Partner), Origin, PolicyDigest, At(0));

        Declared(book).When(Governance()).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain($"'{Partner}'");
    }

    [Fact]
    public void A_synced_domain_beyond_the_targets_is_checked_when_this_ledger_is_its_home()
    {
        var sync = Governance() with { SyncedDomains = [.. Governance().SyncedDomains, new SyncedDomain(Outsider, PolicyDigest, At(0, 30))] };

        Declared(Homes(Outsider)).When(sync).ThenDenied(Reason.GovernanceStale).Detail.ShouldContain($"'{Outsider}'");
    }

    [Fact]
    public void A_domain_removed_from_the_homes_is_no_longer_checked()
    {
        var book = GovernanceBook.Evolve(Homes(Origin), new HomesConfigured([]), 9, At(0));

        Declared(book).When(Governance()).ThenAccepted();
    }

    [Fact]
    public void A_publication_is_refused_for_a_domain_the_ledger_is_not_home_for()
    {
        Homes(Origin).PublicationProblem(new PolicyPublished(Partner, "p", PolicyDigest), Partner).ShouldNotBeNull().ShouldContain($"'{Partner}'");
        GovernanceBook.Empty.PublicationProblem(new PolicyPublished(Origin, "p", PolicyDigest), Origin).ShouldNotBeNull().ShouldContain("no domain");
        Homes(Origin).PublicationProblem(new PolicyPublished(Origin, "p", PolicyDigest), Origin).ShouldBeNull();
    }

    [Fact]
    public void A_publication_whose_entry_speaks_for_another_domain_is_refused() =>
        Homes(Origin, Partner).PublicationProblem(new PolicyPublished(Origin, "p", PolicyDigest), Partner).ShouldNotBeNull().ShouldContain("speaks for");

    [Fact]
    public void The_book_records_the_position_and_time_of_the_latest_publication()
    {
        var latest = Publish(Homes(Origin), Origin, PolicyDigest, At(0, 20), 12).Latest(Origin).ShouldNotBeNull();

        latest.ShouldBe(new Publication(Origin, "policy-7", PolicyDigest, 12, At(0, 20)));
        Homes(Origin).Latest(Origin).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"domain":"aws","policyId":"p","policyDigest":"sha256:abc"}""", "policyDigest")]
    [InlineData("""{"domain":"","policyId":"p","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "domain")]
    [InlineData("""{"domain":"*","policyId":"p","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "domain")]
    [InlineData("""{"domain":"aws","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", "policyId")]
    [InlineData("""{"domain":"aws","policyId":"p","policyDigest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","extra":1}""", "extra")]
    public void A_malformed_publication_is_refused_naming_the_member(string json, string member)
    {
        using var doc = JsonDocument.Parse(json);

        GovernanceEventCodec.TryParse("governance.policy-published.v1", doc.RootElement, out var parsed, out var errors).ShouldBeFalse();
        parsed.ShouldBeNull();
        errors.ShouldContain(e => e.StartsWith(member, StringComparison.Ordinal));
    }

    [Fact]
    public void Homes_with_a_repeated_domain_are_refused()
    {
        using var doc = JsonDocument.Parse("""{"homeDomains":["aws","aws"]}""");

        GovernanceEventCodec.TryParse("governance.homes-configured.v1", doc.RootElement, out _, out var errors).ShouldBeFalse();
        errors.ShouldContain(e => e.StartsWith("homeDomains", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_governance_type_is_refused()
    {
        using var doc = JsonDocument.Parse("{}");

        GovernanceEventCodec.TryParse("governance.policy-retracted.v1", doc.RootElement, out _, out var errors).ShouldBeFalse();
        errors.ShouldContain(e => e.Contains("not a governance event type", StringComparison.Ordinal));
    }
}
