using System.Globalization;
using System.Text.Json;
using Ledger.Domain.Canonical;

namespace Ledger.Domain.Log;

/// <summary>
/// One event as the log holds it: the emitter's <see cref="Statement"/>, its optional
/// <see cref="Signature"/>, and what the ledger assigned (origin, position, time, stream version and
/// the hash chaining it to the previous event of its stream). Its RFC 8785 canonical bytes
/// (<see cref="ToCanonicalBytes"/>) are the Merkle leaf input; docs/FORMAT.md §2 states them byte by byte.
/// </summary>
/// <remarks>
/// <para>The JSON object has exactly these fourteen members, each always present:
/// <c>data</c>, <c>domain</c>, <c>emitter</c>, <c>eventId</c>, <c>metadata</c>, <c>occurredAt</c>,
/// <c>origin</c>, <c>position</c>, <c>prev</c>, <c>recordedAt</c>, <c>signature</c>, <c>stream</c>,
/// <c>streamVersion</c>, <c>type</c>; absent optional values are written as <c>null</c>.</para>
/// <para>Invariants (<see cref="ArgumentException"/> on construction or <c>with</c>, unless noted):</para>
/// <list type="bullet">
/// <item><see cref="Origin"/> is non-empty (it is the checkpoint origin line of the log).</item>
/// <item><see cref="Position"/> is in [0, 2^53 - 1] and <see cref="StreamVersion"/> in [1, 2^53 - 1], so that
/// a JSON number carries them exactly.</item>
/// <item><see cref="RecordedAt"/> is held in UTC at microsecond precision: a finer or offset value given
/// to it is converted to UTC and truncated to the microsecond, the precision of its text form
/// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</item>
/// <item><see cref="Prev"/> is null exactly when <see cref="StreamVersion"/> is 1, and is otherwise 32 bytes
/// (the leaf hash of the stream's previous event); the array is copied in and must not be changed by callers.
/// The pairing is checked by the constructor, and by <see cref="ToCanonicalBytes"/> (which throws
/// <see cref="InvalidOperationException"/>) since a <c>with</c> may set one without the other.</item>
/// </list>
/// <para>Equality is by value (the statement structurally, <see cref="Prev"/> by content). Immutable and thread-safe.</para>
/// </remarks>
public sealed partial record LedgerEntry
{
    /// <summary>The text form of <see cref="RecordedAt"/>: RFC 3339, UTC, always six fractional digits.</summary>
    public const string RecordedAtFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>The most canonical bytes an entry may have (DESIGN §4): a c2sp.org/tlog-tiles entry bundle prefixes each
    /// entry with a uint16 length. The ledger refuses to append a larger entry; entries appended before the limit existed
    /// stay in the log and verify.</summary>
    public const int MaxCanonicalBytes = ushort.MaxValue;

    /// <summary>Creates an entry.</summary>
    /// <param name="origin">The log's origin line (as in its checkpoints).</param>
    /// <param name="position">The 0-based position in the log, which is the Merkle leaf index.</param>
    /// <param name="recordedAt">When the ledger recorded the event; kept in UTC to the microsecond.</param>
    /// <param name="streamVersion">The 1-based version of the event in its stream.</param>
    /// <param name="statement">What the emitter asserted.</param>
    /// <param name="signature">The emitter's signature over <paramref name="statement"/>, or null.</param>
    /// <param name="prev">The leaf hash of the previous event in the stream; null for version 1.</param>
    /// <exception cref="ArgumentException">A value breaks the invariants above.</exception>
    public LedgerEntry(
        string origin,
        long position,
        DateTimeOffset recordedAt,
        long streamVersion,
        EmitterStatement statement,
        EmitterSignature? signature,
        byte[]? prev)
    {
        Origin = origin;
        Position = position;
        RecordedAt = recordedAt;
        StreamVersion = streamVersion;
        Statement = statement;
        Signature = signature;
        Prev = prev;
        if (ChainProblem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(prev));
        }
    }

    /// <summary>The log's origin line.</summary>
    public string Origin { get; init => field = EntryText.Required(value, nameof(Origin)); }

    /// <summary>The 0-based position in the log (the Merkle leaf index).</summary>
    public long Position
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Position));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, EntryText.MaxSafeInteger, nameof(Position));
            field = value;
        }
    }

    /// <summary>When the ledger recorded the event, in UTC, to the microsecond.</summary>
    public DateTimeOffset RecordedAt
    {
        get;
        init
        {
            var utc = value.ToUniversalTime();
            field = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }

    /// <summary>The 1-based version of the event in its stream.</summary>
    public long StreamVersion
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(StreamVersion));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, EntryText.MaxSafeInteger, nameof(StreamVersion));
            field = value;
        }
    }

    /// <summary>What the emitter asserted (and signed, when <see cref="Signature"/> is set).</summary>
    public EmitterStatement Statement
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Statement));
            field = value;
        }
    }

    /// <summary>The emitter's signature over <see cref="EmitterStatement.ToCanonicalBytes"/>, or null.</summary>
    public EmitterSignature? Signature { get; init; }

    /// <summary>The leaf hash (32 bytes) of the stream's previous event, or null for the first event of a stream.</summary>
    public byte[]? Prev
    {
        get;
        init
        {
            if (value is not null && value.Length != 32)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Prev must be a 32-byte leaf hash, not {value.Length} bytes."),
                    nameof(Prev));
            }

            field = value is null ? null : (byte[])value.Clone();
        }
    }

    /// <summary>The stream (from <see cref="Statement"/>).</summary>
    public string Stream => Statement.Stream;

    /// <summary>The emitter's event id (from <see cref="Statement"/>).</summary>
    public string EventId => Statement.EventId;

    /// <summary>The event's wire name (from <see cref="Statement"/>).</summary>
    public string Type => Statement.Type;

    /// <summary>The domain (from <see cref="Statement"/>).</summary>
    public string Domain => Statement.Domain;

    /// <summary>The emitter's name (from <see cref="Statement"/>).</summary>
    public string Emitter => Statement.Emitter;

    /// <summary>When the emitter says the event happened, as given, or null (from <see cref="Statement"/>).</summary>
    public string? OccurredAt => Statement.OccurredAt;

    /// <summary>The event's data object (from <see cref="Statement"/>).</summary>
    public JsonElement Data => Statement.Data;

    /// <summary>The metadata object, or null (from <see cref="Statement"/>).</summary>
    public JsonElement? Metadata => Statement.Metadata;

    /// <summary>The entry's RFC 8785 canonical bytes: the Merkle leaf input and one line of the entries feed.</summary>
    /// <returns>A new array with the canonical UTF-8 bytes (no trailing newline).</returns>
    /// <exception cref="CanonicalJsonException"><see cref="Data"/> or <see cref="Metadata"/> cannot be canonicalized.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Prev"/> and <see cref="StreamVersion"/> disagree (after a <c>with</c>).</exception>
    public byte[] ToCanonicalBytes()
    {
        if (ChainProblem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        // Members in canonical order (ASCII names, so plain ordinal order); the writer checks it.
        var writer = new CanonicalJsonWriter(512);
        writer.StartObject();
        writer.Json("data", Statement.Data);
        writer.String("domain", Statement.Domain);
        writer.String("emitter", Statement.Emitter);
        writer.String("eventId", Statement.EventId);
        writer.Json("metadata", Statement.Metadata);
        writer.String("occurredAt", Statement.OccurredAt);
        writer.String("origin", Origin);
        writer.Integer("position", Position);
        writer.String("prev", Prev is null ? null : Convert.ToBase64String(Prev));
        writer.String("recordedAt", RecordedAt.ToString(RecordedAtFormat, CultureInfo.InvariantCulture));
        if (Signature is null)
        {
            writer.Null("signature");
        }
        else
        {
            writer.StartObject("signature");
            writer.String("alg", Signature.Alg);
            writer.String("keyId", Signature.KeyId);
            writer.String("value", Signature.Value);
            writer.EndObject();
        }

        writer.String("stream", Statement.Stream);
        writer.Integer("streamVersion", StreamVersion);
        writer.String("type", Statement.Type);
        writer.EndObject();
        return writer.ToArray();
    }

    /// <inheritdoc/>
    public bool Equals(LedgerEntry? other) =>
        other is not null
        && string.Equals(Origin, other.Origin, StringComparison.Ordinal)
        && Position == other.Position
        && RecordedAt == other.RecordedAt
        && StreamVersion == other.StreamVersion
        && Statement.Equals(other.Statement)
        && Equals(Signature, other.Signature)
        && (Prev is null ? other.Prev is null : other.Prev is not null && Prev.AsSpan().SequenceEqual(other.Prev));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Origin, Position, RecordedAt, StreamVersion, Statement, Signature);

    private string? ChainProblem() => (StreamVersion, Prev) switch
    {
        (1, not null) => "The first event of a stream (streamVersion 1) has no previous event, so Prev must be null.",
        ( > 1, null) => string.Create(CultureInfo.InvariantCulture, $"An event at streamVersion {StreamVersion} must carry Prev, the leaf hash of version {StreamVersion - 1}."),
        _ => null,
    };
}
