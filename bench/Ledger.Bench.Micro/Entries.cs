using Ledger.Domain.Events;
using Ledger.Domain.Executions;
using Ledger.Domain.Log;
using Ledger.Verifier.Tests.Building;

namespace Ledger.Bench.Micro;

/// <summary>Canonical entries of a real lifecycle, as the verifier and the projections read them.</summary>
internal static class Entries
{
    /// <summary>One execution event entry of typical size (an authorization, about 600 bytes), its canonical bytes.</summary>
    public static byte[] Typical()
    {
        using var log = new TestLog();
        using var scenario = Scenario.Standard(log, signed: true);
        for (var position = 0L; position < log.Size; position++)
        {
            var bytes = log.Entry(position);
            if (LedgerEntry.Parse(bytes).Type == WireNames.Of<AuthorizationIssued>())
            {
                return bytes;
            }
        }

        throw new InvalidOperationException("The scenario has no authorization entry.");
    }
}
