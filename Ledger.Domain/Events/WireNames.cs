using System.Collections.Concurrent;
using System.Reflection;

namespace Ledger.Domain.Events;

/// <summary>Looks up the wire name that <see cref="WireNameAttribute"/> gives an event type.</summary>
/// <remarks>Thread-safe; results are cached per type.</remarks>
public static class WireNames
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    /// <summary>The wire name of <typeparamref name="TEvent"/>.</summary>
    /// <exception cref="ArgumentException">The type has no <see cref="WireNameAttribute"/>.</exception>
    public static string Of<TEvent>() => Of(typeof(TEvent));

    /// <summary>The wire name of <paramref name="eventType"/>.</summary>
    /// <exception cref="ArgumentException">The type has no <see cref="WireNameAttribute"/>.</exception>
    public static string Of(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        return Cache.GetOrAdd(eventType, static t =>
            t.GetCustomAttribute<WireNameAttribute>(inherit: false)?.Name
            ?? throw new ArgumentException($"Type '{t.FullName}' has no [WireName] attribute.", nameof(eventType)));
    }
}
