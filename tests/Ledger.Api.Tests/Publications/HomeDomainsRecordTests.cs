using System.Text.Json;
using Ledger.Api.Tests.Infrastructure;
using Ledger.Domain.Publications;
using Ledger.Store;

namespace Ledger.Api.Tests.Publications;

/// <summary>
/// The ledger records its home domains (<c>Ledger:HomeDomains</c>) in <c>$governance</c> when a start brings other ones
/// than the last recorded, and only then (DESIGN §8.2): each start below is another node of one ledger.
/// </summary>
public sealed class HomeDomainsRecordTests
{
    private static Dictionary<string, string> Homes(params string[] domains) =>
        domains.Select((d, i) => (Key: $"Ledger:HomeDomains:{i}", Value: d)).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);

    private static async Task<IReadOnlyList<IReadOnlyList<string>>> RecordedAsync(LedgerApp app)
    {
        var entries = await app.Node.Store.ReadStreamAsync(GovernanceBook.StreamName, 1, ReadDirection.Forward, 100);
        return [.. entries.Select(e =>
        {
            GovernanceEventCodec.TryParse(e.Type, e.Data, out var parsed, out var errors).ShouldBeTrue(string.Join("; ", errors));
            e.Emitter.ShouldBe("$ledger");
            e.EventId.ShouldBe(Ledger.Application.Publications.GovernanceCommands.HomesId(e.StreamVersion));
            return parsed.ShouldBeOfType<HomesConfigured>().HomeDomains;
        })];
    }

    [Fact]
    public async Task A_start_records_the_home_domains_only_when_they_changed()
    {
        await using var none = new LedgerApp("sqlite", null);
        using (none.CreateClient())
        {
            (await RecordedAsync(none)).ShouldBeEmpty("a ledger without home domains writes nothing to $governance");
        }

        await using var first = new LedgerApp("sqlite", null, Homes("aws.example", "aws.edge"), dataDir: none.DataDir);
        using (first.CreateClient())
        {
            (await RecordedAsync(first)).ShouldBe([["aws.example", "aws.edge"]]);
        }

        await using var same = new LedgerApp("sqlite", null, Homes("aws.edge", "aws.example"), dataDir: none.DataDir);
        using (same.CreateClient())
        {
            (await RecordedAsync(same)).Count.ShouldBe(1, "the same domains in another order are not recorded again");
        }

        await using var other = new LedgerApp("sqlite", null, Homes("aws.example"), dataDir: none.DataDir);
        using (other.CreateClient())
        {
            (await RecordedAsync(other)).ShouldBe([["aws.example", "aws.edge"], ["aws.example"]]);
        }

        await using var removed = new LedgerApp("sqlite", null, dataDir: none.DataDir);
        using var http = removed.CreateClient();
        (await RecordedAsync(removed)).ShouldBe([["aws.example", "aws.edge"], ["aws.example"], []]);

        // The log with its $governance records verifies offline.
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", none.FirstStart.AdminToken);
        (await http.PostAsync("/v1/admin/checkpoint", null)).EnsureSuccessStatusCode();
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();
        var bundle = await http.GetByteArrayAsync("/v1/export");
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, bundle);
            using var output = new StringWriter();
            Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output).ShouldBe(0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
