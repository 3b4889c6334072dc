using System.Net;
using Ledger.Application.Jobs;
using Ledger.Domain.Notes;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.Api.Tests;

public abstract partial class ApiSuite
{
    [Fact]
    public async Task Silence_fails_closed_overdue_verifications_are_halted_and_stale_intents_denied()
    {
        var parent = NewStory("silent");
        await RunAsync(parent, 0, parent.UpToStart());
        var child = NewStory("silent-child", parent: parent);
        await RunAsync(child, 0, child.Intent());
        var idle = NewStory("idle");
        await RunAsync(idle, 0, idle.Intent());
        var sweep = App.Services.GetRequiredService<SweepJob>();

        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await sweep.RunOnceAsync(CancellationToken.None);

        var halted = await DecisionAsync(parent.Id);
        halted.GetProperty("status").GetString().ShouldBe("halted");
        halted.GetProperty("reason").GetString().ShouldBe("runtime-verification-missed");
        await ShouldHaveEndedByCascadeAsync(child, "denied", "execution.denied.v1");
        (await DecisionAsync(idle.Id)).GetProperty("status").GetString().ShouldBe("declared");

        App.Clock.Advance(TimeSpan.FromHours(1));
        await sweep.RunOnceAsync(CancellationToken.None);

        var denied = await DecisionAsync(idle.Id);
        denied.GetProperty("status").GetString().ShouldBe("denied");
        denied.GetProperty("reason").GetString().ShouldBe("intent-expired");
        var before = await LogAsync();
        await sweep.RunOnceAsync(CancellationToken.None);
        (await LogAsync()).Size.ShouldBe(before.Size, "a second sweep has nothing left to end");
    }

    [Fact]
    public async Task The_checkpoint_job_signs_the_grown_tree_on_its_interval()
    {
        var story = NewStory("interval");
        var positions = await RunAsync(story, 0, story.Intent());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Checkpoint? latest = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await GetAsync("/v1/log/checkpoint");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain");
                latest = CheckpointOf(await response.Content.ReadAsStringAsync());
                if (latest.Size > positions[0])
                {
                    break;
                }
            }

            await Task.Delay(200);
        }

        latest.ShouldNotBeNull();
        latest.Size.ShouldBeGreaterThan(positions[0]);
        (await GetAsync($"/v1/log/receipt/{positions[0]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
