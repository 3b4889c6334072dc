namespace Ledger.Domain.Events;

/// <summary>
/// Names the wire type of an event: the <c>type</c> member of its ledger entry, for example
/// <c>execution.intent-declared.v1</c>.
/// </summary>
/// <remarks>
/// The wire name is kept apart from the CLR name so that a type can be renamed without changing
/// what was recorded. A wire name is frozen once shipped: a change of shape gets a new version
/// suffix (<c>.v2</c>) and a new type. Every event type carries exactly one wire name, unique
/// across the assembly (an architecture test enforces it). The attribute is immutable.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class WireNameAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The wire name: lowercase, dot-separated, ending in a version such as <c>.v1</c>.</param>
    public WireNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The wire name, for example <c>execution.intent-declared.v1</c>.</summary>
    public string Name { get; }
}
