namespace Ledger.Application.Hosting;

/// <summary>A configuration error that can only be found while the node opens (with its key and files at hand); the
/// message is one line naming the setting, for the host to print before exiting.</summary>
public sealed class LedgerConfigurationException : InvalidOperationException
{
    public LedgerConfigurationException()
    {
    }

    public LedgerConfigurationException(string message)
        : base(message)
    {
    }

    public LedgerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
