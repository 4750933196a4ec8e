using System.Text.RegularExpressions;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Foundation;

/// <summary>
/// The pages still work under the Content-Security-Policy (no inline script or style): GOV.UK Frontend's JavaScript,
/// Blazor's circuit and autosave, and error summaries, with nothing blocked.
/// </summary>
public sealed class ContentSecurityPolicyJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Journey_UnderTheContentSecurityPolicy_AutosavesShowsErrorsAndNothingIsBlocked()
    {
        // Arrange: record every policy violation the browser reports, from before any page script runs.
        var ret = await portal.Factory.OpenReturnAsync(TestData.Medway);
        var page = await portal.NewPageAsync();
        await page.Context.AddInitScriptAsync(
            "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                console.Add(message.Text);
            }
        };
        await page.SignInAsync(TestData.Users.MedwayLead);
        var header = (await page.GotoAsync($"/returns/{ret.Id}/upload"))!.Headers["content-security-policy"];

        // Act and assert: a static page's error summary, focused by GOV.UK Frontend's script.
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the file" }).ClickAsync();
        var summary = page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.Locator("li")).ToHaveTextAsync(["Select a file to upload"]);
        await Assertions.Expect(page.Locator("#file-error")).ToHaveTextAsync("Error: Select a file to upload");
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync(new Regex("js-enabled.*govuk-frontend-supported"));

        // An interactive section page: the circuit connects, a typed value autosaves, a live error appears.
        await page.GotoAsync($"/returns/{ret.Id}/sections/offers");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await TypeAsync(page, "families_offered", "50");
        await TypeAsync(page, "families_accepted", "60");
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("(60)");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#families_offered")).ToHaveValueAsync("50");

        var violations = await page.EvaluateAsync<string[]>("window.__cspViolations");
        header.ShouldContain("script-src 'self'");
        violations.ShouldBeEmpty();
        console.ShouldBeEmpty();
    }

    private static async Task TypeAsync(IPage page, string key, string value)
    {
        var status = page.Locator("#save-status");
        var before = await status.GetAttributeAsync("data-save-count") ?? "0";
        var input = page.Locator("#" + key);
        await input.FillAsync(value);
        await input.PressAsync("Tab");
        await Assertions.Expect(status).Not.ToHaveAttributeAsync("data-save-count", before);
    }
}
