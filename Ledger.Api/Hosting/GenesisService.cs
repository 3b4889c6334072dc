using Ledger.Api.Append;
using Ledger.Application.Executions;
using Ledger.Application.Registry;
using Ledger.Application.Hosting;
using Ledger.Domain.Access;
using Ledger.Domain.Emitters;
using Ledger.Domain.Events;
using Ledger.Domain.Parameters;
using Ledger.Store;

namespace Ledger.Api.Hosting;

/// <summary>
/// Appends the genesis of an empty ledger (parameters, the dev emitter, first tokens), records the home domains, and sets the
/// flags of recorded split views. Idempotent across nodes.
/// </summary>
public sealed partial class GenesisService(
    LedgerNode node,
    LedgerWriter writer,
    LedgerRegistry registry,
    Application.Publications.GovernanceCommands governance,
    Application.Federation.SplitViewRecords splitViews,
    ILogger<GenesisService> log)
{
    /// <summary>Set when this start created the ledger.</summary>
    public FirstStart? FirstStart { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        await CreateAsync(ct).ConfigureAwait(false);
        // The home domains of this start, when they differ from the last recorded (DESIGN §8.2).
        await governance.RecordHomesAsync(ct).ConfigureAwait(false);
        // Split views recorded by a process stopped before it flagged the log or peer (SplitViewRecords.FlagRecordedAsync).
        await splitViews.FlagRecordedAsync(ct).ConfigureAwait(false);
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        var store = node.Store;
        if (await store.GetStreamVersionAsync(LedgerParameters.StreamName, ct).ConfigureAwait(false) == 0)
        {
            await writer.AppendAsync(
                LedgerParameters.StreamName, AppendRequest.NoStream, "ledger-genesis-parameters", LedgerParametersCodec.Type, "$ledger",
                LedgerParametersCodec.ToData(PolicyConfigured.From(LedgerParameters.Default)), writer.Now(), ct).ConfigureAwait(false);
        }

        if (await store.GetStreamVersionAsync(EmitterRegistry.StreamName, ct).ConfigureAwait(false) != 0)
        {
            return;
        }

        var dev = new EmitterRegistered(LedgerBootstrap.DevEmitter, [EmitterRegistry.AllDomains], null, SignaturesRequired: false);
        var result = await writer.AppendAsync(
            EmitterRegistry.StreamName, AppendRequest.NoStream, "ledger-genesis-emitter-dev", WireNames.Of<EmitterRegistered>(), "$emitters",
            EmitterEventCodec.ToData(dev), writer.Now(), ct).ConfigureAwait(false);
        if (result is not AppendResult.Appended)
        {
            return; // Another node created the genesis first.
        }

        var (devToken, _) = await TokenMinting.MintAsync(LedgerBootstrap.DevEmitter, TokenEntry.EmitterRole, null, writer, ct).ConfigureAwait(false);
        var (adminToken, _) = await TokenMinting.MintAsync("admin", TokenEntry.AdminRole, null, writer, ct).ConfigureAwait(false);
        LedgerBootstrap.WriteDevCredentials(node.DataDir, devToken);
        registry.Invalidate();
        FirstStart = new FirstStart(adminToken, devToken);
        LogCreated(log, node.Origin, Path.Combine(node.DataDir, LedgerBootstrap.DevCredentialsFileName), adminToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Created ledger {Origin}. The dev emitter's token is in {Credentials}. Admin token (shown only now, stored hashed): {AdminToken}")]
    private static partial void LogCreated(ILogger logger, string origin, string credentials, string adminToken);
}
