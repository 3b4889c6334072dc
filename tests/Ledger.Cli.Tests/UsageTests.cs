using System.Net;
using System.Net.Sockets;

namespace Ledger.Cli.Tests;

public sealed class UsageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task No_command_is_a_usage_error()
    {
        var result = await Cli.RunAsync();

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("ledger --help");
    }

    [Fact]
    public async Task Help_exits_zero_and_lists_every_verb()
    {
        var result = await Cli.RunAsync("--help");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        foreach (var verb in new[] { "keys", "emitters", "tokens", "append", "checkpoint", "key", "receipt", "export" })
        {
            result.Output.ShouldContain("  " + verb);
        }
    }

    [Fact]
    public async Task A_missing_required_option_is_a_usage_error()
    {
        var result = await Cli.RunAsync("append", "--stream", "execution-x");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--file");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await Cli.RunAsync("checkpoint", "--signed");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--signed");
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_a_usage_error()
    {
        var result = await Cli.RunAsync("checkpoint", "--url", "ftp://127.0.0.1/");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("--url");
    }

    [Fact]
    public async Task An_unreachable_ledger_exits_with_the_connection_error_code()
    {
        var port = ClosedPort();

        var result = await Cli.RunAsync("checkpoint", "--url", $"http://127.0.0.1:{port}");

        result.ExitCode.ShouldBe(ExitCodes.ConnectionError, result.ToString());
        result.Error.ShouldContain($"Cannot reach the ledger at http://127.0.0.1:{port}/");
        result.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task The_url_comes_from_the_environment_when_not_given()
    {
        var port = ClosedPort();
        var environment = new Dictionary<string, string> { ["LEDGER_URL"] = $"http://127.0.0.1:{port}" };

        var result = await Cli.RunAsync(null, environment, "key");

        result.ExitCode.ShouldBe(ExitCodes.ConnectionError, result.ToString());
        result.Error.ShouldContain($":{port}/");
    }

    [Fact]
    public async Task A_command_that_needs_a_token_without_one_sends_nothing()
    {
        var sent = false;
        var result = await Cli.RunAsync(
            () => new StubHandler(_ => { sent = true; return new HttpResponseMessage(HttpStatusCode.OK); }), null,
            "tokens", "revoke", "0123456789abcdef");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("needs a bearer token");
        sent.ShouldBeFalse();
    }

    [Fact]
    public async Task A_missing_credentials_file_is_an_input_error()
    {
        var result = await Cli.RunAsync("checkpoint", "--credentials", _dir.File("nope.json"));

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("Cannot read the credentials file");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"emitter\": \"dev\"}")]
    [InlineData("{\"emitter\": 5, \"token\": \"glt_x\"}")]
    [InlineData("[]")]
    public async Task An_invalid_credentials_file_is_an_input_error(string content)
    {
        var result = await Cli.RunAsync("checkpoint", "--credentials", _dir.Write("creds.json", content));

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("credentials file");
    }

    [Fact]
    public async Task A_refusal_that_is_not_problem_details_is_printed_with_its_status()
    {
        var result = await Cli.RunAsync(
            () => new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("upstream down") }), null,
            "checkpoint");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("HTTP 502");
        result.Error.ShouldContain("upstream down");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => _dir.Dispose();
}
