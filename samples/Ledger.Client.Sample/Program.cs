// A governance service's use of Ledger.Client, end to end:
//   1. (operator) register this service as an emitter with its Ed25519 public key, and mint its token;
//   2. sign and append a whole governed execution, phase by phase, and ask the ledger whether it may act;
//   3. follow the log from where it stood, and see every event of the execution arrive;
//   4. fetch the completion's receipt and verify it offline against the ledger's key.
//
//   dotnet run --project samples/Ledger.Client.Sample -- --url http://127.0.0.1:5080 --admin-token TOKEN
//
// Exit status: 0 done and verified, 1 the ledger refused or a check failed, 2 bad arguments.
using System.Globalization;
using Ledger.Client;
using Ledger.Domain.Crypto;
using Ledger.Domain.Executions;

var url = Argument("--url") ?? Environment.GetEnvironmentVariable("LEDGER_URL") ?? "http://127.0.0.1:5080";
var adminToken = Argument("--admin-token") ?? Environment.GetEnvironmentVariable("LEDGER_ADMIN_TOKEN");
if (adminToken is null || !Uri.TryCreate(url, UriKind.Absolute, out var baseAddress))
{
    Console.Error.WriteLine("usage: ledger-client-sample --url URL --admin-token TOKEN (the admin token the ledger printed at its first start)");
    return 2;
}

const string Domain = "aws.example";
var run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
var emitterName = "billing-service-" + run;
var execution = ExecutionId.Parse("sample-" + run);

try
{
    // 1. The operator's part: the emitter and its token. The key stays with the service.
    using var key = SigningKey.GenerateEd25519();
    string token;
    using (var admin = new LedgerClient(new LedgerClientOptions { BaseAddress = baseAddress, Token = adminToken }))
    {
        await admin.RegisterEmitterAsync(emitterName, [Domain], key.VerificationKey.Text, signaturesRequired: true);
        token = (await admin.MintTokenAsync(emitterName, "emitter")).Token;
    }

    Console.WriteLine($"registered emitter {emitterName} ({key.VerificationKey.Text[..20]}…)");
    using var ledger = new LedgerClient(new LedgerClientOptions { BaseAddress = baseAddress, Token = token, Emitter = emitterName, SigningKey = key });

    // 3 (started first). Follow the log from its current end.
    var from = await EndOfLogAsync(ledger);
    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
    var follower = FollowAsync(ledger, from, execution, stop.Token);

    // 2. The execution, each event signed with the service's key (RFC 8785 statement, Ed25519).
    var now = DateTimeOffset.UtcNow;
    const string Actor = "spiffe://aws.example/billing-export";
    var policy = "sha256:" + new string('a', 64);
    var image = "sha256:" + new string('b', 64);
    LifecycleEvent Event(string name, IExecutionEvent e) => new($"{execution}-{name}", Domain, e) { OccurredAt = DateTimeOffset.UtcNow };

    var started = await ledger.AppendAsync(execution, 0,
    [
        Event("intent", new IntentDeclared(execution, Actor, "export-invoices", ["s3://invoices"], ["invoices:read"], [Domain], null)),
        Event("governance", new GovernanceSynchronized("finance-v7", policy, [new SyncedDomain(Domain, policy, now)])),
        Event("authorization", new AuthorizationIssued("authz-" + run, Domain, ["invoices:read"], now.AddMinutes(-1), now.AddHours(1), policy)),
        Event("trust", new RuntimeTrustEstablished(Actor, "tpm", image, "attestation.aws.example", TrustVerdict.Trusted)),
        Event("start", new ExecutionStarted("node-7")),
    ]);
    Console.WriteLine($"appended intent..start at positions {string.Join(", ", started.Positions)}");

    var decision = await ledger.GetDecisionAsync(execution);
    Console.WriteLine($"decision: allowed={decision.Allowed} status={decision.Status} validUntil={decision.ValidUntil:O}");
    if (!decision.Allowed)
    {
        return 1;
    }

    await ledger.AppendAsync(execution, started.StreamVersion, [Event("verified-1", new RuntimeVerified(image, VerificationVerdict.Ok))]);
    var completed = await ledger.AppendAsync(execution, started.StreamVersion + 1,
        [Event("completed", new ExecutionCompleted(ExecutionOutcome.Succeeded, [image]))]);
    var position = completed.Positions[0];
    Console.WriteLine($"completed at position {position}");

    var seen = await follower;
    Console.WriteLine($"subscription saw {seen} events of {execution.StreamName} from position {from}");
    if (seen != 7)
    {
        Console.Error.WriteLine("the subscription did not see the whole execution");
        return 1;
    }

    // 4. The receipt, checked offline. A real auditor takes the ledger's key from a trusted channel, not from the ledger.
    var trusted = ReceiptVerifier.ReadTrustedKeys([await ledger.GetVerifierKeyAsync()]);
    var receipt = await ledger.GetVerifiedReceiptAsync(position, trusted);
    Console.WriteLine(
        $"receipt verified: position {receipt.Position} ({receipt.Entry.Type}, signed {receipt.Entry.Signature?.Alg}) is in {receipt.Checkpoint.Origin} at size {receipt.Checkpoint.Size}, signed by {string.Join(", ", receipt.SignedBy)}");
    return 0;
}
catch (LedgerException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}

string? Argument(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

// The position after the last entry: read forward in pages until the end.
static async Task<long> EndOfLogAsync(LedgerClient ledger)
{
    var next = 0L;
    while (true)
    {
        var page = await ledger.ReadLogAsync(next, LedgerClient.MaxEntriesPerRead);
        if (page.Count == 0)
        {
            return next;
        }

        next = page[^1].Position + 1;
    }
}

// Counts the execution's events as the log delivers them, until its completion.
static async Task<int> FollowAsync(LedgerClient ledger, long from, ExecutionId execution, CancellationToken ct)
{
    var count = 0;
    await foreach (var entry in ledger.SubscribeAsync(from, ct))
    {
        if (entry.Entry.Stream != execution.StreamName)
        {
            continue;
        }

        count++;
        Console.WriteLine($"  log {entry.Position}: {entry.Entry.Type} {entry.Entry.EventId}");
        if (entry.Entry.Type == "execution.completed.v1")
        {
            return count;
        }
    }

    return count;
}
