using System.Net;
using Ledger.Domain.Executions;
using Ledger.Domain.Federation;
using Ledger.Domain.Notes;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task An_attestation_proves_the_running_execution_under_a_checkpoint_and_verifies_with_the_ledger_key()
    {
        var story = NewStory("attested");
        await RunAsync(story, 0, story.UpToStart());
        var held = await SignCheckpointAsync();
        await RunAsync(story, 5, story.Verified());

        using var response = await GetAsync($"/v1/executions/{story.Id}/attestation?from={Checkpoint.Parse(SignedNote.Parse(held).Text).Size}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        var trust = new PeerTrust(App.Node.Origin, App.Node.Signer.Verifier, TlogPolicy.ForLogs([App.Node.Signer.Verifier]));
        var check = AttestationVerifier.Verify(
            text, trust, ExecutionId.Parse(story.Id), new AttestationContext(App.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)) { HeldCheckpoint = held });

        var verified = check.ShouldBeOfType<AttestationCheck.Verified>(check.Describe());
        verified.Execution.State.Status.ShouldBe(ExecutionStatus.Running);
        verified.Execution.Statement.Version.ShouldBe(6); // the verification was put under a fresh checkpoint
        await ExportVerifiesAsync();
    }

    [Fact]
    public async Task An_attestation_of_an_unknown_execution_or_with_a_bad_id_or_size_is_refused()
    {
        await ProblemAsync(await GetAsync("/v1/executions/no-such-execution/attestation"), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await GetAsync("/v1/executions/bad%20id/attestation"), HttpStatusCode.BadRequest, "out-of-range");
        await ProblemAsync(await GetAsync("/v1/executions/some-id/attestation?from=-1"), HttpStatusCode.BadRequest, "out-of-range");
        (await GetAsync("/v1/executions/some-id/attestation?from=many")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
