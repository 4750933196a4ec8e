using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Foundation;

public sealed class SignInJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task SignIn_DataLead_SeesTheirLaThenSignsOut()
    {
        // Arrange
        var page = await portal.NewPageAsync();

        // Act
        await page.SignInAsync(TestData.Users.MedwayLead);

        // Assert
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Medway");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        // Assert
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You have signed out");
        await page.GotoAsync("/local-authorities/887");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/sign-in"));
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorSummary()
    {
        // Arrange
        var page = await portal.NewPageAsync();

        // Act
        await page.SignInAsync(TestData.Users.LeicesterLead, "wrong-password");

        // Assert
        var summary = page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
        await Assertions.Expect(summary.GetByRole(AriaRole.Link)).ToHaveTextAsync(FgcReturns.Web.Components.Account.SignIn.FailedMessage);
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
    }

    [Fact]
    public async Task Axe_SignInAndHomePages_HaveNoViolations()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/account/sign-in");

        // Act
        var signInViolations = await page.AccessibilityViolationsAsync();
        await page.SignInAsync(TestData.Users.LeicestershireLead);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Leicestershire");
        var homeViolations = await page.AccessibilityViolationsAsync();

        // Assert
        signInViolations.ShouldBeEmpty();
        homeViolations.ShouldBeEmpty();
    }
}
