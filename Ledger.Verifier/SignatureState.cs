namespace Ledger.Verifier;

/// <summary>What the parallel stage learned of an entry's emitter signature.</summary>
internal enum SignatureState
{
    /// <summary>The entry has no signature (or was not parsed).</summary>
    None = 0,

    /// <summary>It verifies under the key its key id names.</summary>
    Valid = 1,

    /// <summary>It does not verify under the key its key id names.</summary>
    Invalid = 2,

    /// <summary>The key was not known when the entry was prepared: the sequential stage verifies it.</summary>
    Deferred = 3,
}
