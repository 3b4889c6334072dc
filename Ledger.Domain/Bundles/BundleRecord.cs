namespace Ledger.Domain.Bundles;

/// <summary>
/// One line of an export bundle (docs/FORMAT.md §7): the header, an entry, a checkpoint, a proof, the
/// frontier, or the trailer. A closed set: every subtype is sealed and lives in this namespace.
/// </summary>
/// <remarks>
/// <para>Records are what <see cref="BundleReader"/> returns and what <see cref="BundleWriter"/> writes, in the
/// order the bundle grammar allows (see <see cref="BundleKind"/>). The version line is not a record: the reader
/// checks it and the writer writes it.</para>
/// <para>Immutable and thread-safe; arrays passed in are not copied and must not be changed afterwards.</para>
/// </remarks>
public abstract record BundleRecord
{
    private protected BundleRecord()
    {
    }

    /// <summary>The value of the <c>record</c> member naming this record's kind (<c>entry</c> for entries, which have none).</summary>
    public abstract string RecordName { get; }
}
