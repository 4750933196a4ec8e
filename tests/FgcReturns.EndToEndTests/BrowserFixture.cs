using FgcReturns.EndToEndTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(BrowserFixture))]

namespace FgcReturns.EndToEndTests;

/// <summary>One PostgreSQL cluster and one headless Debian Chromium for the whole browser test run.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;
    private TestDatabaseServer? server;

    public IBrowser Browser { get; private set; } = null!;

    public TestDatabaseServer Server => server ?? throw new InvalidOperationException("The database server has not started.");

    public async ValueTask InitializeAsync()
    {
        server = await TestDatabaseServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FGC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            // Root needs --no-sandbox; the rest stop Chromium reaching for a network this machine does not have.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The portal on a real Kestrel port with its own database, shared by one test class.</summary>
public sealed class PortalFixture(BrowserFixture browser) : IAsyncLifetime
{
    private FgcWebFactory? factory;

    public FgcWebFactory Factory => factory ?? throw new InvalidOperationException("The portal has not started.");

    /// <summary>Where this portal's emails are written, one .eml file each, so a journey can read what a person received.</summary>
    public string EmailDirectory { get; } = Path.Combine(Path.GetTempPath(), "fgc-e2e-emails-" + Guid.NewGuid().ToString("N"));

    /// <summary>Every email this portal has sent, oldest first.</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Emails() =>
        Directory.Exists(EmailDirectory)
            ? Directory.GetFiles(EmailDirectory, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).Select(f => MimeKit.MimeMessage.Load(f)).ToList()
            : [];

    public IBrowser Browser => browser.Browser;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await browser.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?> { ["Email:PickupDirectory"] = EmailDirectory });
        factory.StartKestrel();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Factory.ServerAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        if (Directory.Exists(EmailDirectory))
        {
            Directory.Delete(EmailDirectory, recursive: true);
        }
    }
}
