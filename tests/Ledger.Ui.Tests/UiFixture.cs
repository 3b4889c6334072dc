using Microsoft.Playwright;

namespace Ledger.Ui.Tests;

/// <summary>
/// Shared by every browser test: one ledger with the generated workload, one empty ledger, and one headless
/// Debian chromium driven by Playwright (its own browser download is never used).
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public UiServer Full { get; private set; } = null!;

    public UiServer Empty { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are kept: under the test output directory.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {Chromium}; ./test.sh installs it (apt-get install chromium).");
        }

        Directory.CreateDirectory(Screenshots);
        var full = UiServer.StartAsync(workloadChunks: 12);
        var empty = UiServer.StartAsync(workloadChunks: 0);
        Full = await full;
        Empty = await empty;
        // The workload's log is what the pages show; it verifies offline before any page is looked at.
        await Full.ExportVerifiesAsync();
        await Full.CaughtUpAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Full is not null)
        {
            await Full.DisposeAsync();
        }

        if (Empty is not null)
        {
            await Empty.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class UiTestGroup : ICollectionFixture<UiFixture>
{
    public const string Name = "compliance UI";
}
