using System.Net;

namespace Ledger.Api.Tests.Witness;

public abstract partial class WitnessSuite
{
    [Fact]
    public async Task Concurrent_submissions_for_one_origin_on_two_nodes_never_get_two_cosignatures_of_inconsistent_trees()
    {
        var log = World.Busy;
        using var fork = new TestLog(log.Origin, log.Key); // the same log key, another history
        log.Grow(100, "main");
        fork.Grow(100, "fork");
        using var second = AnotherNode(App);
        var clients = new[] { Http, second.CreateClient() };
        var cosigned = new List<(long Size, byte[] Root)>();
        long held = 0;

        for (var round = 0; round < 6; round++)
        {
            var from = held;
            var requests = Enumerable.Range(1, 12).Select(i =>
            {
                var source = i % 3 == 0 ? fork : log;
                var to = from + 1 + i;
                return (Source: source, To: to, Body: source.Body(from, to), Client: clients[i % 2]);
            }).ToList();

            var responses = await Task.WhenAll(requests.Select(r => SubmitAsync(r.Body, r.Client)));

            var wins = 0;
            for (var i = 0; i < responses.Length; i++)
            {
                using var response = responses[i];
                var status = (int)response.StatusCode;
                status.ShouldBeOneOf([200, 409, 422], await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    wins++;
                    cosigned.Add((requests[i].To, requests[i].Source.Root(requests[i].To)));
                    held = requests[i].To;
                }
            }

            // Exactly one: never two from one old size, and the first consistent request from the held size wins.
            wins.ShouldBe(1, $"round {round}");
        }

        cosigned.Count.ShouldBeGreaterThanOrEqualTo(5);
        // Every pair of cosigned checkpoints is consistent: one history (main or fork) has both roots.
        foreach (var x in cosigned)
        {
            foreach (var y in cosigned)
            {
                var both = new[] { log, fork }.Any(t => t.Root(x.Size).AsSpan().SequenceEqual(x.Root) && t.Root(y.Size).AsSpan().SequenceEqual(y.Root));
                both.ShouldBeTrue($"sizes {x.Size} and {y.Size} were cosigned from different histories");
            }
        }

        var view = await LogViewAsync(log.Origin);
        view.GetProperty("size").GetInt64().ShouldBe(held);
        (await RecordsOfAsync(Ledger.Domain.Witnessing.WitnessStreams.Witness, log.Origin)).Count.ShouldBe(cosigned.Count);
    }
}
