using System.Text.Json;

namespace Ledger.Domain.Executions;

/// <summary>
/// The storage form of an <see cref="ExecutionState"/>: the execution record keeps the folded state so that a
/// decision never re-reads and re-folds the stream (DESIGN §6). Not a wire format: it never leaves the store,
/// and the log stays the source it can be rebuilt from.
/// </summary>
/// <remarks>
/// UTF-8 JSON with short member names; enumerations as their numbers, instants as UTC ticks. A member that is
/// null or empty is left out. <see cref="Read"/> is the inverse of <see cref="Write"/>. Pure and thread-safe.
/// </remarks>
public static class ExecutionStateCodec
{
    /// <summary>The state's storage bytes.</summary>
    public static byte[] Write(ExecutionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", state.Id.Value);
            w.WriteNumber("st", (int)state.Status);
            w.WriteNumber("ph", (int)state.Phase);
            Text(w, "od", state.OriginDomain);
            Text(w, "ac", state.Actor);
            Text(w, "an", state.Action);
            List(w, "td", state.TargetDomains);
            List(w, "rs", state.RequestedScope);
            if (state.Parent is { } parent)
            {
                w.WriteStartObject("pa");
                w.WriteString("l", parent.Ledger);
                w.WriteString("e", parent.ExecutionId.Value);
                w.WriteEndObject();
            }

            if (state.AttestedParent is { } ap)
            {
                w.WriteStartObject("ap");
                w.WriteString("l", ap.Parent.Ledger);
                w.WriteString("e", ap.Parent.ExecutionId.Value);
                w.WriteNumber("s", (int)ap.Status);
                List(w, "g", ap.GrantedScope);
                Time(w, "x", ap.ExpiresAt);
                Time(w, "t", ap.AttestedAt);
                w.WriteString("d", ap.AttestationDigest);
                w.WriteEndObject();
            }

            Time(w, "da", state.DeclaredAt);
            Text(w, "pd", state.PolicyDigest);
            Time(w, "gs", state.GovernanceSyncedAt);
            Text(w, "ai", state.AuthorizationId);
            Text(w, "is", state.Issuer);
            List(w, "gr", state.GrantedScope);
            Time(w, "nb", state.NotBefore);
            Time(w, "ex", state.ExpiresAt);
            Text(w, "wl", state.Workload);
            Text(w, "me", state.Measurement);
            Time(w, "sa", state.StartedAt);
            Text(w, "rn", state.RuntimeNode);
            Time(w, "lv", state.LastVerifiedAt);
            if (state.VerificationCount != 0)
            {
                w.WriteNumber("vc", state.VerificationCount);
            }

            if (state.Outcome is { } outcome)
            {
                w.WriteNumber("oc", (int)outcome);
            }

            Text(w, "re", state.Reason?.Code);
            Text(w, "rd", state.ReasonDetail);
            Time(w, "ea", state.EndedAt);
            if (state.IsProven)
            {
                w.WriteBoolean("pr", true);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The state stored by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a stored state.</exception>
    public static ExecutionState Read(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var document = JsonDocument.ParseValue(ref reader);
            var o = document.RootElement;
            return new ExecutionState
            {
                Id = ExecutionId.Parse(o.GetProperty("id").GetString()!),
                Status = (ExecutionStatus)o.GetProperty("st").GetInt32(),
                Phase = (ExecutionPhase)o.GetProperty("ph").GetInt32(),
                OriginDomain = Text(o, "od"),
                Actor = Text(o, "ac"),
                Action = Text(o, "an"),
                TargetDomains = List(o, "td"),
                RequestedScope = List(o, "rs"),
                Parent = o.TryGetProperty("pa", out var pa)
                    ? new ParentRef(pa.GetProperty("l").GetString()!, ExecutionId.Parse(pa.GetProperty("e").GetString()!))
                    : null,
                AttestedParent = o.TryGetProperty("ap", out var ap)
                    ? new AttestedParent(
                        new ParentRef(ap.GetProperty("l").GetString()!, ExecutionId.Parse(ap.GetProperty("e").GetString()!)),
                        (ExecutionStatus)ap.GetProperty("s").GetInt32(), List(ap, "g"), Time(ap, "x"), Time(ap, "t")!.Value, ap.GetProperty("d").GetString()!)
                    : null,
                DeclaredAt = Time(o, "da"),
                PolicyDigest = Text(o, "pd"),
                GovernanceSyncedAt = Time(o, "gs"),
                AuthorizationId = Text(o, "ai"),
                Issuer = Text(o, "is"),
                GrantedScope = List(o, "gr"),
                NotBefore = Time(o, "nb"),
                ExpiresAt = Time(o, "ex"),
                Workload = Text(o, "wl"),
                Measurement = Text(o, "me"),
                StartedAt = Time(o, "sa"),
                RuntimeNode = Text(o, "rn"),
                LastVerifiedAt = Time(o, "lv"),
                VerificationCount = o.TryGetProperty("vc", out var vc) ? vc.GetInt32() : 0,
                Outcome = o.TryGetProperty("oc", out var oc) ? (ExecutionOutcome)oc.GetInt32() : null,
                Reason = Text(o, "re") is { } code ? Reason.Parse(code) : null,
                ReasonDetail = Text(o, "rd"),
                EndedAt = Time(o, "ea"),
                IsProven = o.TryGetProperty("pr", out var pr) && pr.GetBoolean(),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new FormatException("The bytes are not a stored execution state: " + ex.Message, ex);
        }
    }

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } t)
        {
            w.WriteNumber(name, t.UtcTicks);
        }
    }

    private static void List(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static DateTimeOffset? Time(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? new DateTimeOffset(v.GetInt64(), TimeSpan.Zero) : null;

    private static IReadOnlyList<string> List(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!)] : [];
}
