using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Ledger.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Api.Tests.Log;

/// <summary>
/// The long-poll of <c>GET /v1/log/entries?wait=</c>: held until an entry at <c>start</c> exists or the wait is over,
/// bounded, and ended at once (with no server error) when the client goes away.
/// </summary>
public abstract class LogWaitSuite : IAsyncLifetime, IDisposable
{
    private readonly RequestWatch _watch = new();
    private LedgerApp? _app;

    protected LedgerApp App => _app ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _app = await StartAsync(services =>
        {
            services.AddSingleton<IStartupFilter>(_watch);
            services.AddSingleton<ILoggerProvider>(_watch);
        });
        _ = _app.Services;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _watch.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<LedgerApp> StartAsync(Action<IServiceCollection> services);

    [Fact]
    public async Task A_wait_past_the_end_answers_empty_once_the_wait_is_over()
    {
        using var http = App.CreateClient();
        var size = await App.Node.Store.GetTreeSizeAsync();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync($"/v1/log/entries?start={size}&wait=1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBeEmpty();
        clock.Elapsed.ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task A_wait_is_answered_as_soon_as_an_entry_is_appended()
    {
        using var http = App.CreateClient();
        var size = await App.Node.Store.GetTreeSizeAsync();
        var clock = Stopwatch.StartNew();
        var waiting = http.GetAsync($"/v1/log/entries?start={size}&wait=30");
        await Task.Delay(300);
        waiting.IsCompleted.ShouldBeFalse("nothing was appended yet");

        await AppendIntentAsync(http, "wait-woken");
        using var response = await waiting;

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldContain("\"eventId\":\"wait-woken-intent\"");
        body.ShouldContain($"\"position\":{size},");
        await ExportVerifiesAsync(http);
    }

    [Fact]
    public async Task Entries_already_there_are_answered_without_waiting()
    {
        using var http = App.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.GetAsync("/v1/log/entries?start=0&limit=2&wait=60");

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
    }

    [Theory]
    [InlineData("61", "out-of-range")]
    [InlineData("-1", "out-of-range")]
    [InlineData("soon", "bad-request")]
    public async Task A_wait_out_of_bounds_is_refused(string wait, string problem)
    {
        using var http = App.CreateClient();

        using var response = await http.GetAsync($"/v1/log/entries?start=0&wait={wait}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("/problems/" + problem);
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_wait_ends_the_wait_at_once_without_a_server_error()
    {
        using var http = App.CreateClient();
        var size = await App.Node.Store.GetTreeSizeAsync();
        using var leave = new CancellationTokenSource();
        var ended = _watch.Next();

        var waiting = http.GetAsync($"/v1/log/entries?start={size}&wait=60", leave.Token);
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        await leave.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiting);

        var outcome = await ended.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "the server let go of the request once the client left, not at the end of the wait");
        outcome.Exception.ShouldBeNull();
        outcome.Status.ShouldBeLessThan(500);
        _watch.Errors.ShouldBeEmpty();

        // The ledger goes on serving and appending.
        await AppendIntentAsync(http, "wait-after-leave");
        using var after = await http.GetAsync($"/v1/log/entries?start={size}&wait=5");
        (await after.Content.ReadAsStringAsync()).ShouldContain("wait-after-leave-intent");
        await ExportVerifiesAsync(http);
    }

    private async Task AppendIntentAsync(HttpClient http, string id)
    {
        var token = App.FirstStart.DevToken;
        var body = $$$"""
            {"expectedVersion": 0, "events": [{"eventId": "{{{id}}}-intent", "type": "execution.intent-declared.v1", "domain": "aws", "data": {
              "executionId": "{{{id}}}", "actor": "spiffe://aws.example/w", "action": "a", "resources": ["r"], "requestedScope": ["s"],
              "targetDomains": ["aws"], "parent": null}}]}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/streams/execution-{id}/events")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task ExportVerifiesAsync(HttpClient http)
    {
        using var sign = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/checkpoint");
        sign.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", App.FirstStart.AdminToken);
        (await http.SendAsync(sign)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var vkey = (await http.GetStringAsync("/v1/log/key")).Trim();
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, await http.GetByteArrayAsync("/v1/export"));
            using var output = new StringWriter();
            Ledger.Verifier.Program.Run([path, "--trust", vkey], output, output).ShouldBe(0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Sees every <c>/v1/log/entries</c> request end (its status, or the exception it ended with) and every error the host logs.</summary>
    private sealed class RequestWatch : IStartupFilter, ILoggerProvider
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource<(int Status, Exception? Exception)> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Errors { get; } = new();

        public Task<(int Status, Exception? Exception)> Next()
        {
            lock (_gate)
            {
                _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
                return _next.Task;
            }
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate following) =>
            {
                if (context.Request.Path != "/v1/log/entries")
                {
                    await following(context);
                    return;
                }

                try
                {
                    await following(context);
                    Complete((context.Response.StatusCode, null));
                }
                catch (Exception e)
                {
                    Complete((500, e));
                    throw;
                }
            });
            next(app);
        };

        public ILogger CreateLogger(string categoryName) => new ErrorLogger(Errors, categoryName);

        public void Dispose()
        {
        }

        private void Complete((int, Exception?) outcome)
        {
            lock (_gate)
            {
                _next.TrySetResult(outcome);
            }
        }

        private sealed class ErrorLogger(ConcurrentQueue<string> errors, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
                }
            }
        }
    }
}
