using System.Text.RegularExpressions;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Foundation;

/// <summary>
/// Every page with an error summary, used from the keyboard: each link in the summary, followed with Enter, keeps the
/// page's path and puts focus on the form control it names (GOV.UK error summary behaviour), not on a heading or the
/// home page.
/// </summary>
public sealed partial class ErrorSummaryLinkTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task CheckAnswers_SubmittedWithoutTheDeclaration_EverySummaryLinkFocusesItsField()
    {
        // Arrange: a complete return with nothing to explain.
        await portal.Factory.SetPreviousYearAsync("851", ReturnValuesBuilder.PreviousFgc10().Build());
        var ret = await portal.Factory.OpenReturnAsync("851");
        var lead = await portal.Factory.AddUserAsync("lead.e2e.summary.check@fgc.example", "851");
        var principal = await portal.Factory.PrincipalAsync(lead);
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(principal, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form));
        var page = await portal.NewPageAsync();
        await page.SignInAsync(lead);
        await page.GotoAsync($"/returns/{ret.Id}/check");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" }).ClickAsync();

        // Assert
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["declaration-name", "declaration-role"]);
    }

    [Fact]
    public async Task Upload_NoFileChosen_TheSummaryLinkFocusesTheFileInput()
    {
        // Arrange
        var ret = await portal.Factory.OpenReturnAsync("852");
        var lead = await portal.Factory.AddUserAsync("lead.e2e.summary.upload@fgc.example", "852");
        var page = await portal.NewPageAsync();
        await page.SignInAsync(lead);
        await page.GotoAsync($"/returns/{ret.Id}/upload");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the file" }).ClickAsync();

        // Assert
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["file"]);
    }

    [Fact]
    public async Task ReviewDecision_ConfirmedWithoutChoosing_EverySummaryLinkFocusesItsField()
    {
        // Arrange: a submitted return, opened by an analyst.
        await portal.Factory.SetPreviousYearAsync("857", ReturnValuesBuilder.PreviousFgc10().Build());
        var ret = await portal.Factory.OpenReturnAsync("857");
        var lead = await portal.Factory.AddUserAsync("lead.e2e.summary.review@fgc.example", "857");
        var principal = await portal.Factory.PrincipalAsync(lead);
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(principal, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form));
        (await portal.Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(principal, ret.Id, "Jo Lead", "Service Manager"))).Succeeded.ShouldBeTrue();
        var page = await portal.NewPageAsync();
        await page.SignInAsync(TestData.Users.Analyst);
        await page.GotoAsync($"/review/{ret.Id}");

        // Act and assert: no decision chosen.
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }).ClickAsync();
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["decision"]);

        // Sent back without saying what to change.
        await page.GetByLabel("Return it to the local authority for amendment").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }).ClickAsync();
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["comment"]);

        // A note with nothing in it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["note-item"]);
    }

    [Fact]
    public async Task Invite_EmptyForm_EverySummaryLinkFocusesItsField()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.SignInAsync(TestData.Users.Administrator);
        await page.GotoAsync("/admin/users/invite");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();

        // Assert
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["display-name", "email"]);
    }

    [Fact]
    public async Task NewCollection_EmptyForm_EverySummaryLinkFocusesItsField()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.SignInAsync(TestData.Users.Administrator);
        await page.GotoAsync("/collections/new");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Create collection" }).ClickAsync();

        // Assert
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["period"]);
    }

    [Fact]
    public async Task SetPassword_TooShortAndNotConfirmed_RulesShownFirstAndEverySummaryLinkFocusesItsField()
    {
        // Arrange: an administrator invites a new data lead, who opens the link in their email.
        var admin = await portal.Factory.PrincipalAsync(TestData.Users.Administrator);
        const string invited = "new.lead.e2e@medway.example";
        (await portal.Factory.WithServiceAsync<UserAdminService, Outcome<string>>(s =>
            s.InviteAsync(admin, invited, "Sam New", new UserAccess(Roles.LaDataLead, TestData.Medway))))
            .Succeeded.ShouldBeTrue();
        var email = portal.Emails().Last(m => m.To.Mailboxes.Any(b => b.Address == invited));
        var link = SetPasswordLink().Match(email.TextBody ?? "");
        link.Success.ShouldBeTrue("No set-password link in: " + email.TextBody);
        var page = await portal.NewPageAsync();
        await page.GotoAsync(new Uri(link.Value).PathAndQuery);

        // The rules are stated before anything is typed, in plain words.
        await Assertions.Expect(page.Locator("#password-hint")).ToContainTextAsync("Use at least 12 characters");

        // Act: a password that is too short, and no confirmation.
        await page.Locator("#password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();

        // Assert
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("12 characters or more");
        await ExpectEveryLinkLandsOnItsFieldAsync(page, ["password"]);
    }

    [Fact]
    public async Task SignIn_WrongPassword_EverySummaryLinkFocusesItsField()
    {
        // Arrange
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/account/sign-in");

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Assert
        await ExpectEveryLinkLandsOnItsFieldAsync(page, []);
    }

    [GeneratedRegex(@"https?://[^\s]+/account/set-password\?token=[A-Za-z0-9_%\-]+")]
    private static partial Regex SetPasswordLink();

    /// <summary>
    /// Follows each summary link from the keyboard. The path must not change and focus must land on a form control
    /// (input, select or textarea) whose id is the link's target or which sits inside the target (a radio group).
    /// </summary>
    private static async Task ExpectEveryLinkLandsOnItsFieldAsync(IPage page, string[] mustInclude)
    {
        var summary = page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Error: "));
        var path = new Uri(page.Url).AbsolutePath;
        var links = summary.Locator("a");
        var count = await links.CountAsync();
        count.ShouldBeGreaterThan(0);
        var targets = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var href = (await links.Nth(i).GetAttributeAsync("href"))!;
            href.ShouldStartWith("#");
            targets.Add(href[1..]);
            await links.Nth(i).FocusAsync();
            await page.Keyboard.PressAsync("Enter");

            new Uri(page.Url).AbsolutePath.ShouldBe(path, $"The summary link {href} left the page.");
            var landed = await page.EvaluateAsync<string>(
                """
                id => {
                    const active = document.activeElement;
                    const target = document.getElementById(id);
                    if (!active || !target) return `target ${id} missing or nothing focused`;
                    const control = ['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName);
                    return control && (active === target || target.contains(active)) ? 'ok' : `focus on <${active.tagName.toLowerCase()} id="${active.id}">`;
                }
                """,
                href[1..]);
            landed.ShouldBe("ok", $"The summary link {href} did not put focus on its field.");
        }

        foreach (var id in mustInclude)
        {
            targets.ShouldContain(t => t == id || t.StartsWith(id + "-", StringComparison.Ordinal), $"No summary link to {id}.");
        }

        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
    }
}
