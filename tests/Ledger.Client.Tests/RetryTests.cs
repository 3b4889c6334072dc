using System.Net;

namespace Ledger.Client.Tests;

/// <summary>How the client treats a ledger that is down or overloaded (no ledger behind these handlers).</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task An_overloaded_ledger_is_tried_again_and_its_last_answer_is_reported()
    {
        var handler = new StatusHandler(HttpStatusCode.ServiceUnavailable);
        using var client = Client(handler, retries: 2);

        var failure = await Should.ThrowAsync<LedgerProblemException>(() => client.GetCheckpointAsync());

        handler.Requests.ShouldBe(3);
        failure.Status.ShouldBe(503);
    }

    [Fact]
    public async Task A_refusal_is_not_tried_again()
    {
        var handler = new StatusHandler(HttpStatusCode.Forbidden);
        using var client = Client(handler, retries: 3);

        (await Should.ThrowAsync<LedgerProblemException>(() => client.GetCheckpointAsync())).Status.ShouldBe(403);

        handler.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task An_unreachable_ledger_is_a_connection_failure_once_the_retries_are_spent()
    {
        using var client = new LedgerClient(new LedgerClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:1/"),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        });

        var failure = await Should.ThrowAsync<LedgerConnectionException>(() => client.GetVerifierKeyAsync());

        failure.Message.ShouldContain("Cannot reach the ledger at http://127.0.0.1:1/");
    }

    [Fact]
    public async Task Minting_a_token_is_never_retried()
    {
        var handler = new StatusHandler(HttpStatusCode.BadGateway);
        using var client = Client(handler, retries: 3);

        (await Should.ThrowAsync<LedgerProblemException>(() => client.MintTokenAsync("someone", "emitter"))).Status.ShouldBe(502);

        handler.Requests.ShouldBe(1);
    }

    [Fact]
    public void Signing_without_the_emitters_name_is_refused_when_the_client_is_made()
    {
        using var key = Ledger.Domain.Crypto.SigningKey.GenerateEcdsaP256();

        Should.Throw<ArgumentException>(() => new LedgerClient(new LedgerClientOptions { BaseAddress = new Uri("http://ledger.test/"), SigningKey = key }))
            .Message.ShouldContain("emitter");
    }

    private static LedgerClient Client(HttpMessageHandler handler, int retries) => new(new LedgerClientOptions
    {
        BaseAddress = new Uri("http://ledger.test/"),
        Token = "t",
        MaxRetries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(1),
    }, handler);
}
