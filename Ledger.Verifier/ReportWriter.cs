using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Bundles;

namespace Ledger.Verifier;

/// <summary>Writes a <see cref="VerificationReport"/> for people (text) or for programs (one JSON document).</summary>
/// <remarks>The JSON is written with <see cref="Utf8JsonWriter"/> (no reflection), member names stable. Stateless.</remarks>
public static class ReportWriter
{
    /// <summary>The human report: verdict, what was checked, then each failure and warning with its evidence.</summary>
    public static void WriteText(TextWriter output, VerificationReport report, string bundleName)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Counts;
        var verdict = report.Outcome switch
        {
            VerificationOutcome.Valid => "VALID",
            VerificationOutcome.Invalid => "INVALID",
            _ => "UNUSABLE",
        };
        output.WriteLine($"ledger-verify: {verdict} — {bundleName}");
        if (report.Header is { } header)
        {
            output.WriteLine($"  bundle:   {header.Describe()} of log '{header.Origin}'");
        }

        output.WriteLine(Invariant($"  read:     {c.Lines} lines, {c.Bytes} bytes in {c.Elapsed.TotalSeconds:0.###} s"));
        output.WriteLine($"  trusted:  {(report.TrustedKeys.Count == 0 ? "(no key)" : string.Join(", ", report.TrustedKeys))}");
        if (report.Quorum is not null)
        {
            output.WriteLine($"  quorum:   every checkpoint cosigned to meet '{report.Quorum}' of the policy");
        }

        output.WriteLine(Invariant($"  checked:  {c.Entries} leaf hashes, {c.Checkpoints} checkpoint signatures, {c.RootsRecomputed} roots recomputed, {c.ConsistencyProofs} consistency and {c.InclusionProofs} inclusion proofs"));
        if (report.HashesOnly)
        {
            output.WriteLine("            hashes only: entries were not parsed; signatures, chains and the lifecycle were not checked");
        }
        else
        {
            output.WriteLine(Invariant($"            {c.Entries} entries' canonical form and positions, {c.Streams} streams' versions and chains, {c.SignaturesVerified} emitter signatures"));
            output.WriteLine(Invariant($"            lifecycle replayed for {c.ExecutionsReplayed} executions ({c.EventsReplayed} events judged, {c.EventsNotReplayed} not judged, {c.LineageNotChecked} lineage checks without the parent)"));
            output.WriteLine(Invariant($"            {c.ProofsChecked} persisted proofs against their lineage trees ({c.ProofDigestsNotChecked} digests and {c.ProofRootsNotChecked} checkpoint roots not checked: not in the bundle)"));
        }

        if (report.Unusable is { } unusable)
        {
            output.WriteLine();
            output.WriteLine("UNUSABLE INPUT: " + unusable);
        }

        WriteFindings(output, "FAILURES", report.Failures, report.FailureCount);
        WriteFindings(output, "WARNINGS (owed at the end of the bundle; not failures)", report.Warnings, report.WarningCount);
        if (report.Outcome == VerificationOutcome.Valid)
        {
            output.WriteLine();
            output.WriteLine("Every check passed.");
        }
    }

    /// <summary>The report as one JSON document.</summary>
    public static void WriteJson(Stream output, VerificationReport report, string bundleName)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        WriteReportMembers(json, report, bundleName);
        json.WriteEndObject();
    }

    /// <summary>The reports of an audit over one or more bundles as one JSON document: for one bundle, its report's
    /// document with a <c>federation</c> member; for several, <c>verdict</c>, <c>exitCode</c>, <c>bundles</c> (each
    /// report's document) and <c>federation</c>.</summary>
    public static void WriteJson(Stream output, IReadOnlyList<AuditedBundle> bundles, FederationReport? federation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(bundles);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        if (bundles.Count == 1)
        {
            WriteReportMembers(json, bundles[0].Report, bundles[0].Name, federation);
        }
        else
        {
            var outcome = Overall(bundles, federation);
            json.WriteString("verdict", outcome.ToString().ToLowerInvariant());
            json.WriteNumber("exitCode", (int)outcome);
            json.WriteStartArray("bundles");
            foreach (var bundle in bundles)
            {
                json.WriteStartObject();
                WriteReportMembers(json, bundle.Report, bundle.Name);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        WriteFederation(json, federation);
        json.WriteEndObject();
    }

    /// <summary>The human report of an audit over one or more bundles: each bundle's report, then the cross-ledger checks
    /// with the ledger each failure belongs to, then (for several bundles) the overall verdict.</summary>
    public static void WriteText(TextWriter output, IReadOnlyList<AuditedBundle> bundles, FederationReport? federation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(bundles);
        for (var i = 0; i < bundles.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            WriteText(output, bundles[i].Report, bundles[i].Name);
        }

        if (federation is { Records: > 0 } or { GovernanceRecords: > 0 } or { SplitViewRecords: > 0 })
        {
            output.WriteLine();
            output.WriteLine(Invariant($"cross-ledger: {federation.Records} parent attestations recorded, {federation.Checked} checked against the peer's key and policy, {federation.Compared} compared with the peer's bundle, {federation.AttestationsVerified} attestations verified again, {federation.NotTrusted} not checked (no key for the peer)"));
            if (federation.GovernanceRecords > 0)
            {
                output.WriteLine(Invariant($"cross-ledger governance: {federation.GovernanceRecords} governance attestations recorded, {federation.GovernanceChecked} checked against the home ledger's key and policy"));
            }

            if (federation.SplitViewRecords > 0)
            {
                output.WriteLine(Invariant($"split views: {federation.SplitViewRecords} recorded, {federation.SplitViewsChecked} with both notes checked against the origin's key"));
            }

            foreach (var group in federation.Findings.GroupBy(f => (f.Failure, f.Ledger)).OrderByDescending(g => g.Key.Failure))
            {
                output.WriteLine();
                output.WriteLine(Invariant($"{(group.Key.Failure ? "FAILURES" : "WARNINGS")} of ledger '{group.Key.Ledger}': {group.Count()}"));
                foreach (var f in group)
                {
                    output.WriteLine($"  {f.Bundle}, {f.Finding.Where}: {f.Finding.Code}");
                    output.WriteLine($"    {f.Finding.Message}");
                    foreach (var (name, value) in f.Finding.Evidence)
                    {
                        output.WriteLine($"      {name}: {value}");
                    }
                }
            }
        }

        if (bundles.Count > 1)
        {
            output.WriteLine();
            output.WriteLine($"ledger-verify: {Overall(bundles, federation).ToString().ToUpperInvariant()} — {bundles.Count} bundles{(federation is { Failed: true } ? ", cross-ledger checks failed" : string.Empty)}");
        }
    }

    private static VerificationOutcome Overall(IReadOnlyList<AuditedBundle> bundles, FederationReport? federation)
    {
        var worst = bundles.Max(b => b.Report.Outcome);
        return federation is { Failed: true } && worst < VerificationOutcome.Invalid ? VerificationOutcome.Invalid : worst;
    }

    private static void WriteFederation(Utf8JsonWriter json, FederationReport? federation)
    {
        if (federation is null)
        {
            json.WriteNull("federation");
            return;
        }

        json.WriteStartObject("federation");
        json.WriteNumber("records", federation.Records);
        json.WriteNumber("checked", federation.Checked);
        json.WriteNumber("compared", federation.Compared);
        json.WriteNumber("attestationsVerified", federation.AttestationsVerified);
        json.WriteNumber("notTrusted", federation.NotTrusted);
        json.WriteNumber("governanceRecords", federation.GovernanceRecords);
        json.WriteNumber("governanceChecked", federation.GovernanceChecked);
        json.WriteNumber("splitViewRecords", federation.SplitViewRecords);
        json.WriteNumber("splitViewsChecked", federation.SplitViewsChecked);
        json.WriteStartArray("findings");
        foreach (var f in federation.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ledger", f.Ledger);
            json.WriteString("bundle", f.Bundle);
            json.WriteBoolean("failure", f.Failure);
            json.WritePropertyName("finding");
            WriteFinding(json, f.Finding);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteReportMembers(Utf8JsonWriter json, VerificationReport report, string bundleName, FederationReport? federation = null)
    {
        var outcome = federation is { Failed: true } && report.Outcome < VerificationOutcome.Invalid ? VerificationOutcome.Invalid : report.Outcome;
        json.WriteString("verdict", outcome.ToString().ToLowerInvariant());
        json.WriteNumber("exitCode", (int)outcome);
        json.WriteString("bundle", bundleName);
        if (report.Header is { } header)
        {
            json.WriteStartObject("header");
            json.WriteString("kind", header.Kind.ToString().ToLowerInvariant());
            json.WriteString("origin", header.Origin);
            if (header.Kind == BundleKind.Full)
            {
                json.WriteNumber("from", header.From);
                json.WriteNumber("to", header.To);
            }

            WriteOptional(json, "stream", header.Stream);
            WriteOptional(json, "execution", header.Execution);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("header");
        }

        json.WriteString("unusable", report.Unusable);
        json.WriteBoolean("hashesOnly", report.HashesOnly);
        json.WriteStartArray("trustedKeys");
        foreach (var key in report.TrustedKeys)
        {
            json.WriteStringValue(key);
        }

        json.WriteEndArray();
        json.WriteString("quorum", report.Quorum);
        var c = report.Counts;
        json.WriteStartObject("counts");
        json.WriteNumber("lines", c.Lines);
        json.WriteNumber("bytes", c.Bytes);
        json.WriteNumber("entries", c.Entries);
        json.WriteNumber("checkpoints", c.Checkpoints);
        json.WriteNumber("rootsRecomputed", c.RootsRecomputed);
        json.WriteNumber("consistencyProofs", c.ConsistencyProofs);
        json.WriteNumber("inclusionProofs", c.InclusionProofs);
        json.WriteNumber("streams", c.Streams);
        json.WriteNumber("signaturesVerified", c.SignaturesVerified);
        json.WriteNumber("executionsReplayed", c.ExecutionsReplayed);
        json.WriteNumber("eventsReplayed", c.EventsReplayed);
        json.WriteNumber("eventsNotReplayed", c.EventsNotReplayed);
        json.WriteNumber("lineageNotChecked", c.LineageNotChecked);
        json.WriteNumber("proofsChecked", c.ProofsChecked);
        json.WriteNumber("proofDigestsNotChecked", c.ProofDigestsNotChecked);
        json.WriteNumber("proofRootsNotChecked", c.ProofRootsNotChecked);
        json.WriteNumber("seconds", Math.Round(c.Elapsed.TotalSeconds, 3));
        json.WriteEndObject();
        json.WriteNumber("failureCount", report.FailureCount);
        WriteFindings(json, "failures", report.Failures);
        json.WriteNumber("warningCount", report.WarningCount);
        WriteFindings(json, "warnings", report.Warnings);
    }

    private static void WriteFindings(TextWriter output, string title, IReadOnlyList<Finding> findings, long count)
    {
        if (count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(Invariant($"{title}: {count}{(count > findings.Count ? $" (the first {findings.Count} shown)" : string.Empty)}"));
        foreach (var finding in findings)
        {
            output.WriteLine($"  {finding.Where}: {finding.Code}");
            output.WriteLine($"    {finding.Message}");
            foreach (var (name, value) in finding.Evidence)
            {
                output.WriteLine($"      {name}: {value}");
            }
        }
    }

    private static void WriteFindings(Utf8JsonWriter json, string name, IReadOnlyList<Finding> findings)
    {
        json.WriteStartArray(name);
        foreach (var finding in findings)
        {
            WriteFinding(json, finding);
        }

        json.WriteEndArray();
    }

    private static void WriteFinding(Utf8JsonWriter json, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("code", finding.Code);
        json.WriteNumber("line", finding.Line);
        if (finding.Position is { } position)
        {
            json.WriteNumber("position", position);
        }
        else
        {
            json.WriteNull("position");
        }

        if (finding.TreeSize is { } size)
        {
            json.WriteNumber("treeSize", size);
        }
        else
        {
            json.WriteNull("treeSize");
        }

        json.WriteString("message", finding.Message);
        json.WriteStartObject("evidence");
        foreach (var (key, value) in finding.Evidence)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
