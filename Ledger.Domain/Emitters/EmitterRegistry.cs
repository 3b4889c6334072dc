using System.Collections.Immutable;
using System.Diagnostics;

namespace Ledger.Domain.Emitters;

/// <summary>
/// Who may append, for which domains, with which key: the state folded from the <c>$emitters</c> stream.
/// </summary>
/// <remarks>
/// Immutable: <see cref="Evolve"/> returns a new registry, so a reader may hold one while the
/// ledger moves on. Thread-safe. A registration of an active name replaces it (key rotation,
/// domain changes); a revoked name stays revoked.
/// </remarks>
public sealed class EmitterRegistry
{
    /// <summary>The stream holding the registry's events.</summary>
    public const string StreamName = "$emitters";

    /// <summary>The domain entry that stands for every domain.</summary>
    public const string AllDomains = "*";

    private readonly ImmutableDictionary<string, EmitterEntry> _emitters;

    private EmitterRegistry(ImmutableDictionary<string, EmitterEntry> emitters) => _emitters = emitters;

    /// <summary>The registry before any event.</summary>
    public static EmitterRegistry Empty { get; } = new(ImmutableDictionary.Create<string, EmitterEntry>(StringComparer.Ordinal));

    /// <summary>Every emitter ever registered, revoked ones included, by name.</summary>
    public IEnumerable<EmitterEntry> Emitters => _emitters.Values.OrderBy(e => e.Name, StringComparer.Ordinal);

    /// <summary>Applies one event.</summary>
    public static EmitterRegistry Evolve(EmitterRegistry registry, IEmitterEvent @event)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(@event);
        return @event switch
        {
            EmitterRegistered e when registry.Find(e.Name) is { IsRevoked: true } => registry,
            EmitterRegistered e => new(registry._emitters.SetItem(e.Name, new EmitterEntry(e.Name, e.Domains, e.PublicKey, e.SignaturesRequired))),
            EmitterRevoked e when registry.Find(e.Name) is { IsRevoked: false } entry =>
                new(registry._emitters.SetItem(e.Name, entry with { RevocationReason = e.Reason })),
            EmitterRevoked => registry,
            _ => throw new UnreachableException($"Evolve has no case for {@event.GetType().FullName}."),
        };
    }

    /// <summary>Whether the event may be appended: null when it may, otherwise why not.</summary>
    /// <remarks>A revoked name cannot be registered again; only an active emitter can be revoked.</remarks>
    public string? Check(IEmitterEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var existing = Find(@event.Name);
        return @event switch
        {
            EmitterRegistered when existing is { IsRevoked: true } => $"emitter '{@event.Name}' was revoked; a revoked name is not reused",
            EmitterRevoked when existing is null => $"emitter '{@event.Name}' is not registered",
            EmitterRevoked when existing.IsRevoked => $"emitter '{@event.Name}' is already revoked",
            _ => null,
        };
    }

    /// <summary>The emitter named <paramref name="name"/>, revoked or not; null when unknown.</summary>
    public EmitterEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _emitters.GetValueOrDefault(name);
    }

    /// <summary>Whether the emitter is registered and not revoked.</summary>
    public bool IsActive(string name) => Find(name) is { IsRevoked: false };

    /// <summary>Whether the emitter may append events for <paramref name="domain"/>: active, and the domain is one of its own (or it has <c>*</c>).</summary>
    public bool CanSpeakFor(string emitter, string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return Find(emitter) is { IsRevoked: false } entry && entry.Covers(domain);
    }
}
