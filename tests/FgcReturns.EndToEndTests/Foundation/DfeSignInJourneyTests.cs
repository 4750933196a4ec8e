using System.Text.RegularExpressions;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Foundation;

/// <summary>The portal configured for DfE Sign-in, with the tests' OpenID Connect provider standing in for it.</summary>
public sealed class DfeSignInPortalFixture(BrowserFixture browser) : IAsyncLifetime
{
    private FgcWebFactory? factory;

    public TestOidcProvider Provider { get; private set; } = null!;

    public FgcWebFactory Factory => factory ?? throw new InvalidOperationException("The portal has not started.");

    public async ValueTask InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        // The real time: Chromium drops correlation cookies that expired on the test clock's day.
        factory = new FgcWebFactory(await browser.Server.CreateDatabaseAsync(), clock: new TestClock(DateTimeOffset.UtcNow), settings: Provider.PortalSettings);
        factory.StartKestrel();

        // The portal reads the provider's discovery document and keys on its first challenge: do that before the
        // browser's 15 s clock runs, as a long-running portal would have.
        using var warmUp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = factory.ServerAddress };
        using var challenge = await warmUp.GetAsync(new Uri("/account/sign-in/dfe", UriKind.Relative));
        if (challenge.Headers.Location?.Authority != Provider.Authority.Authority)
        {
            throw new InvalidOperationException($"The portal did not send the browser to the provider ({(int)challenge.StatusCode}).");
        }
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Factory.ServerAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}

public sealed class DfeSignInJourneyTests(DfeSignInPortalFixture portal) : IClassFixture<DfeSignInPortalFixture>
{
    private static async Task SignInAtProviderAsync(IPage page, TestOidcUser user)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with DfE Sign-in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the test provider" })).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task SignInWithDfe_InvitedMedwayLead_LandsAsMedwayLeadThenSignsOutOfBoth()
    {
        // Arrange: the demo Medway lead was invited by the portal; their DfE Sign-in account has the same address.
        var person = portal.Provider.AddUser("dfe-browser-medway", TestData.Users.MedwayLead);
        var page = await portal.NewPageAsync();

        // Act: through the provider's own pages and redirects.
        await SignInAtProviderAsync(page, person);

        // Assert
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Medway");
        new Uri(page.Url).Port.ShouldBe(portal.Factory.ServerAddress.Port);

        // Act: sign out goes through the provider's end-session endpoint and back.
        var endSessionsBefore = portal.Provider.EndSessions.Count;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        // Assert: signed out of the portal and of the provider.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have signed out");
        portal.Provider.EndSessions.Count.ShouldBe(endSessionsBefore + 1);
        await page.GotoAsync("/local-authorities/887");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/sign-in"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with DfE Sign-in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to the test provider" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignInWithDfe_UninvitedPerson_RefusedWithAClearAccessiblePage()
    {
        // Arrange
        var stranger = portal.Provider.AddUser("dfe-browser-stranger", "someone.else@elsewhere.example");
        var page = await portal.NewPageAsync();

        // Act
        await SignInAtProviderAsync(page, stranger);

        // Assert
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You cannot sign in to FGC Returns");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Ask your FGC Returns administrator to invite you");
        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
        await page.GotoAsync("/local-authorities/887");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/sign-in"));
    }

    [Fact]
    public async Task Axe_SignInPageWithDfeButton_HasNoViolations()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/account/sign-in");

        // Act
        var violations = await page.AccessibilityViolationsAsync();

        // Assert
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with DfE Sign-in" })).ToBeVisibleAsync();
        violations.ShouldBeEmpty();
    }
}
