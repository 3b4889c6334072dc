using System.Text;
using Ledger.Api.Problems;
using Ledger.Application.Hosting;
using Ledger.Application.Witnessing;
using Ledger.Domain.Witnessing;

namespace Ledger.Api.Witness;

/// <summary>The ledger as a C2SP tlog-witness: add-checkpoint, its key, the witnessed logs and their latest cosigned checkpoints (DESIGN §8.1).</summary>
public static class WitnessEndpoints
{
    /// <summary>The largest add-checkpoint body read (a checkpoint with many signatures fits easily).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapWitnessEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/witness").WithTags("Witness");
        group.MapPost("/add-checkpoint", AddCheckpointAsync).WithName("AddCheckpoint")
            .WithSummary("C2SP tlog-witness add-checkpoint: cosign a checkpoint of a witnessed log")
            .Accepts<string>("text/plain")
            .Produces<string>(200, "text/plain")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404)
            .Produces<string>(409, "text/x.tlog.size")
            .ProducesProblem(413).ProducesProblem(422);
        group.MapGet("/key", Key).WithName("GetWitnessKey").WithSummary("The witness's cosignature/v1 verifier key (vkey)")
            .Produces<string>(200, "text/plain");
        group.MapGet("/logs", LogsAsync).WithName("ListWitnessedLogs").WithSummary("The witnessed logs: latest cosigned checkpoint and trust")
            .Produces<WitnessedLogsResponse>();
        group.MapGet("/{originHash}/checkpoint", CheckpointAsync).WithName("GetWitnessedCheckpoint")
            .WithSummary("The latest checkpoint cosigned for a log, by the lowercase hex SHA-256 of its origin")
            .Produces<string>(200, "text/plain").ProducesProblem(404);
        return app;
    }

    public static async Task<IResult> AddCheckpointAsync(HttpContext http, WitnessService witness, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return LedgerProblems.BodyTooLarge(MaxBodyBytes);
            }
        }

        string body;
        try
        {
            body = StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return LedgerProblems.WitnessRefusal(new WitnessOutcome.Malformed("The body is not valid UTF-8."));
        }

        var outcome = await witness.AddCheckpointAsync(body, ct).ConfigureAwait(false);
        return outcome is WitnessOutcome.Cosigned cosigned
            ? TypedResults.Text(cosigned.SignatureLines, "text/plain; charset=utf-8")
            : LedgerProblems.WitnessRefusal(outcome);
    }

    public static IResult Key(LedgerNode node) => TypedResults.Text(node.WitnessKey.Verifier.VerifierKey + "\n", "text/plain; charset=utf-8");

    public static async Task<IResult> LogsAsync(LedgerNode node, CancellationToken ct)
    {
        var held = (await node.Store.ListWitnessedAsync(ct).ConfigureAwait(false)).ToDictionary(l => l.Origin, StringComparer.Ordinal);
        var logs = node.WitnessedLogs.Origins.Select(origin =>
        {
            node.WitnessedLogs.TryGetKeys(origin, out var keys);
            held.TryGetValue(origin, out var state);
            return new WitnessedLogView(
                origin,
                WitnessStreams.OriginHash(origin),
                [.. keys!.Select(k => k.VerifierKey)],
                state?.Size,
                state is null ? null : Convert.ToBase64String(state.Root),
                state?.CosignedAt,
                state?.Untrusted ?? false,
                state?.SplitViewAt);
        });
        return TypedResults.Ok(new WitnessedLogsResponse(node.WitnessKey.Verifier.VerifierKey, [.. logs]));
    }

    public static async Task<IResult> CheckpointAsync(string originHash, LedgerNode node, CancellationToken ct)
    {
        var origin = node.WitnessedLogs.Origins.FirstOrDefault(o => WitnessStreams.OriginHash(o) == originHash);
        var state = origin is null ? null : await node.Store.GetWitnessedAsync(origin, ct).ConfigureAwait(false);
        return state is null
            ? LedgerProblems.NotFound($"This witness has cosigned no checkpoint of a log whose origin hashes to '{originHash}'.")
            : TypedResults.Text(state.Note, "text/plain; charset=utf-8");
    }
}

/// <summary>The witness's key and every witnessed log.</summary>
public sealed record WitnessedLogsResponse(string WitnessKey, IReadOnlyList<WitnessedLogView> Logs);

/// <summary>One witnessed log: configuration, the latest checkpoint cosigned (null members when none), and whether it
/// showed a split view (then <c>untrusted</c> is true for good).</summary>
public sealed record WitnessedLogView(
    string Origin, string OriginHash, IReadOnlyList<string> Keys, long? Size, string? Root, DateTimeOffset? CosignedAt, bool Untrusted, DateTimeOffset? SplitViewAt);
