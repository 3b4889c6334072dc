using Microsoft.AspNetCore.DataProtection;

namespace Ledger.Api.Hosting;

/// <summary>
/// ASP.NET Core's data-protection key ring (the authentication stack asks for it) is kept in the ledger's data
/// directory, beside <c>ledger.key</c> and with the same protection (the directory's owner only), instead of a profile
/// directory a container loses or an in-memory ring each node has its own of.
/// </summary>
public static class DataProtectionSetup
{
    public const string KeysDirectoryName = "data-protection";

    public static IServiceCollection AddLedgerDataProtection(this IServiceCollection services, Application.Hosting.LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = new DirectoryInfo(Path.Combine(Path.GetFullPath(options.DataDir), KeysDirectoryName));
        services.AddDataProtection().SetApplicationName("ledger").PersistKeysToFileSystem(directory);

        // Its one warning ("no XML encryptor configured: keys unencrypted at rest") is the data directory's standing
        // property, the same as for ledger.key (files of mode 0600; docs/OPERATIONS.md, "Data directory"), not news at
        // each first start.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error));
        return services;
    }
}
