using System.Net;
using System.Text;

namespace Ledger.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Export_streams_the_bundle_to_the_file_with_the_query()
    {
        var bundle = "{\"format\":\"ledger-bundle\",\"version\":1}\n" + new string('x', 200_000) + "\n";
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(bundle, Encoding.UTF8, "application/x-ndjson") });
        var path = _dir.File("bundle.ndjson");

        var result = await Cli.RunAsync(() => stub, null,
            "export", "--url", "http://ledger.test", "--token", "glt_t", "--out", path, "--lineage", "e 1");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        File.ReadAllText(path).ShouldBe(bundle);
        File.Exists(path + ".partial").ShouldBeFalse();
        stub.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/v1/export?lineage=e%201");
        stub.Requests.Single().Headers.Authorization!.Parameter.ShouldBe("glt_t");
    }

    [Fact]
    public async Task Export_from_a_ledger_without_the_endpoint_says_so()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.5.5\",\"title\":\"Not Found\",\"status\":404}",
                Encoding.UTF8, "application/problem+json"),
        });
        var path = _dir.File("bundle.ndjson");

        var result = await Cli.RunAsync(() => stub, null, "export", "--url", "http://ledger.test", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("This ledger has no export endpoint");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task An_export_the_ledger_refuses_prints_its_problem_and_writes_nothing()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"type\":\"https://ledger.dev/problems/out-of-range\",\"title\":\"A parameter is out of range\",\"status\":400,\"detail\":\"to must be a checkpoint size\"}",
                Encoding.UTF8, "application/problem+json"),
        });
        var path = _dir.File("bundle.ndjson");

        var result = await Cli.RunAsync(() => stub, null, "export", "--url", "http://ledger.test", "--out", path, "--to", "7");

        result.ExitCode.ShouldBe(ExitCodes.ServerRefused, result.ToString());
        result.Error.ShouldContain("to must be a checkpoint size");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task A_download_that_breaks_off_leaves_no_bundle()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BrokenStream()) });
        var path = _dir.File("bundle.ndjson");

        var result = await Cli.RunAsync(() => stub, null, "export", "--url", "http://ledger.test", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.ConnectionError, result.ToString());
        result.Error.ShouldContain("broke off");
        File.Exists(path).ShouldBeFalse();
        File.Exists(path + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task A_full_range_is_sent_as_from_and_to()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("x") });

        var result = await Cli.RunAsync(() => stub, null, "export", "--url", "http://ledger.test", "--out", _dir.File("b"), "--from", "0", "--to", "12");

        result.ExitCode.ShouldBe(ExitCodes.Ok, result.ToString());
        stub.Requests.Single().RequestUri!.PathAndQuery.ShouldBe("/v1/export?from=0&to=12");
    }

    [Fact]
    public async Task Two_kinds_of_export_at_once_is_a_usage_error()
    {
        var result = await Cli.RunAsync("export", "--url", "http://127.0.0.1:1", "--out", _dir.File("b"), "--stream", "execution-a", "--to", "3");

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        result.Error.ShouldContain("one kind of export");
    }

    [Fact]
    public async Task Export_never_overwrites_an_existing_file()
    {
        var path = _dir.Write("bundle.ndjson", "keep");

        var result = await Cli.RunAsync("export", "--url", "http://127.0.0.1:1", "--out", path);

        result.ExitCode.ShouldBe(ExitCodes.UsageError, result.ToString());
        File.ReadAllText(path).ShouldBe("keep");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Yields some bytes, then fails as a dropped connection does.</summary>
    private sealed class BrokenStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0)
            {
                throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
            }

            buffer[offset] = (byte)'{';
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
