using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FgcReturns.Core.Postgres;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;
using Npgsql;

namespace FgcReturns.EndToEndTests.Returns;

/// <summary>
/// Its own private PostgreSQL (not the shared one), so stopping it touches no other test: the portal on that cluster,
/// a section page open in the browser, the server stopped and started again on the same port.
/// </summary>
public sealed class OutagePortalFixture(BrowserFixture browser) : IAsyncLifetime
{
    private TestDatabaseServer? server;
    private FgcWebFactory? factory;

    public FgcWebFactory Factory => factory ?? throw new InvalidOperationException("The portal has not started.");

    public PrivatePostgresCluster Cluster => server?.Cluster ?? throw new InvalidOperationException("The database has not started.");

    public IBrowser Browser => browser.Browser;

    public async ValueTask InitializeAsync()
    {
        server = await TestDatabaseServer.StartAsync();
        factory = new FgcWebFactory(await server.CreateDatabaseAsync());
        factory.StartKestrel();
    }

    /// <summary>Stops the cluster as a crash or a restart would ("fast": sessions are ended).</summary>
    public void StopDatabase() => PgCtl("-D", Cluster.DataDirectory, "-m", "fast", "-w", "stop");

    /// <summary>Starts it again on the same port, so the portal's connection string still points at it.</summary>
    public void StartDatabase() => PgCtl(
        "-D", Cluster.DataDirectory, "-l", Path.Combine(Cluster.DataDirectory, "server.log"), "-w", "-t", "60",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {Cluster.Port} -k {Cluster.SocketDirectory} -c fsync=off"), "start");

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private static void PgCtl(params string[] args)
    {
        var pgCtl = Path.Combine(PrivatePostgresCluster.FindBinDirectory() ?? "/usr/lib/postgresql/15/bin", "pg_ctl");
        var asPostgres = Environment.IsPrivilegedProcess;
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : pgCtl) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", pgCtl })
            {
                psi.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed: {output}");
        }
    }
}

public sealed class DatabaseOutageTests(OutagePortalFixture portal) : IClassFixture<OutagePortalFixture>
{
    [Fact]
    public async Task SectionPage_DatabaseStoppedWhileTyping_SaysNotSavedKeepsTheCircuitAndSavesWhenItReturns()
    {
        // Arrange: Medway's data lead has the offers section open.
        var ret = await portal.Factory.OpenReturnAsync(TestData.Medway);
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Factory.ServerAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.SignInAsync(TestData.Users.MedwayLead);
        await page.GotoAsync($"/returns/{ret.Id}/sections/offers");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // Act: the database goes away; the person types two answers.
        portal.StopDatabase();
        try
        {
            await page.Locator("#families_offered").FillAsync("50");
            await page.Locator("#families_offered").PressAsync("Tab");
            await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync(new Regex("^Not saved — we'll try again"));
            await page.Locator("#families_accepted").FillAsync("37");
            await page.Locator("#families_accepted").PressAsync("Tab");

            // Assert (meanwhile): the circuit lives, nothing typed is lost, nothing claims to be saved.
            await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync(new Regex("^Not saved — we'll try again"));
            await Assertions.Expect(page.Locator("#families_offered")).ToHaveValueAsync("50");
            await Assertions.Expect(page.Locator("#families_accepted")).ToHaveValueAsync("37");
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }
        finally
        {
            portal.StartDatabase();
        }

        // Assert: saved without a reload once the database is back.
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("Saved.", new() { Timeout = 45_000 });
        NpgsqlConnection.ClearAllPools();
        var stored = await portal.Factory.OpenReturnAsync(TestData.Medway);
        stored.Values["families_offered"].ShouldBe("50");
        stored.Values["families_accepted"].ShouldBe("37");

        // And the page still works: another answer saves.
        var count = await page.Locator("#save-status").GetAttributeAsync("data-save-count");
        await page.Locator("#families_declined").FillAsync("5");
        await page.Locator("#families_declined").PressAsync("Tab");
        await Assertions.Expect(page.Locator("#save-status")).Not.ToHaveAttributeAsync("data-save-count", count!);
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page.Locator("#families_declined")).ToHaveValueAsync("5");
    }
}
