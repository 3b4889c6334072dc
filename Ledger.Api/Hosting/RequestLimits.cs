using System.Globalization;
using Ledger.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ledger.Api.Hosting;

/// <summary>
/// The limits on a request's target and header fields, answered as problem details (414 <c>uri-too-long</c>,
/// 431 <c>headers-too-large</c>). Kestrel enforces such limits while parsing, before any middleware runs, and
/// then answers a bare status with an empty body; so its own limits are raised to a hard ceiling and the
/// ledger's limits (Kestrel's defaults) are checked here, first in the pipeline, where the answer can be a
/// problem. Only a request past the ceiling still gets Kestrel's bare answer.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest request target (path and query, as sent), in bytes: Kestrel's default request line limit.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>The largest total of header names and values, in bytes: Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>The most header fields: Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    // Past these Kestrel refuses on its own, with an empty body; they bound what a request can make the server hold.
    private const int KestrelRequestLineCeiling = 64 * 1024;
    private const int KestrelHeaderBytesCeiling = 256 * 1024;
    private const int KestrelHeaderCountCeiling = 1000;

    /// <summary>Raises Kestrel's parsing limits to the ceiling, so that the ledger's own limits answer first.</summary>
    public static void RaiseKestrelLimits(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = KestrelRequestLineCeiling;
        limits.MaxRequestHeadersTotalSize = KestrelHeaderBytesCeiling;
        limits.MaxRequestHeaderCount = KestrelHeaderCountCeiling;
    }

    /// <summary>Answers 414 or 431 as problem details before anything else reads the request.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Refusal(context) is { } problem)
            {
                await problem.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

    private static IResult? Refusal(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var targetBytes = string.IsNullOrEmpty(target) ? request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0 : target.Length;
        if (targetBytes > MaxTargetBytes)
        {
            return LedgerProblems.Problem(StatusCodes.Status414UriTooLong, "uri-too-long", "The request target is too long",
                string.Create(CultureInfo.InvariantCulture, $"The path and query are {targetBytes} bytes; the limit is {MaxTargetBytes}."));
        }

        long headerBytes = 0;
        var fields = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                fields++;
                headerBytes += name.Length + (value?.Length ?? 0);
            }
        }

        if (fields > MaxHeaderCount)
        {
            return LedgerProblems.Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers-too-large", "The request header fields are too large",
                string.Create(CultureInfo.InvariantCulture, $"The request has {fields} header fields; the limit is {MaxHeaderCount}."));
        }

        return headerBytes > MaxHeaderBytes
            ? LedgerProblems.Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, "headers-too-large", "The request header fields are too large",
                string.Create(CultureInfo.InvariantCulture, $"The header names and values are {headerBytes} bytes; the limit is {MaxHeaderBytes}."))
            : null;
    }
}
