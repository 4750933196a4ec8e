using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Review;

/// <summary>
/// Every page an analyst or administrator uses, opened on a 320 px wide window (WCAG 1.4.10 Reflow: a 1280 px page
/// zoomed to 400%): the page itself never scrolls sideways (a wide table may scroll inside its own labelled region),
/// and axe finds nothing.
/// </summary>
public sealed class AnalystPageReflowTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task AnalystAndAdministratorPages_At320Pixels_DoNotScrollSideways()
    {
        // Arrange: Leicestershire has submitted twice (so the chase list, review, history and version comparison all
        // have something to show); Medway is still in progress.
        await portal.Factory.SetPreviousYearAsync("855", ReturnValuesBuilder.PreviousFgc10().Build());
        var lead = await portal.Factory.PrincipalAsync(TestData.Users.LeicestershireLead);
        var ret = await portal.Factory.OpenReturnAsync("855");
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form));
        (await portal.Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Jo Lead", "Service Manager"))).Succeeded.ShouldBeTrue();
        var medway = await portal.Factory.OpenReturnAsync(TestData.Medway);
        string[] analystPages =
        [
            "/", "/collections", $"/collections/{ret.CollectionId}", $"/collections/{ret.CollectionId}?status=Submitted",
            $"/review/{ret.Id}", $"/review/{ret.Id}/history", $"/review/{medway.Id}",
            "/benchmarks", "/compare", "/compare/855", "/definitions", "/definitions/fgc-annual/1.0", "/definitions/fgc-annual/compare",
            "/local-authorities", "/local-authorities/855",
        ];
        string[] administratorPages = ["/admin/users", "/admin/users/invite", "/collections/new", $"/collections/{ret.CollectionId}"];
        var problems = new List<string>();

        // Act
        await VisitAsync(TestData.Users.Analyst, analystPages, problems);
        await VisitAsync(TestData.Users.Administrator, administratorPages, problems);

        // Assert
        problems.ShouldBeEmpty();
    }

    private async Task VisitAsync(string email, string[] paths, List<string> problems)
    {
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(320, 800);
        await page.SignInAsync(email);
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            if (response is null || !response.Ok)
            {
                problems.Add($"{path}: HTTP {response?.Status}");
                continue;
            }

            await page.Locator("h1").First.WaitForAsync();
            if (await page.SidewaysScrollAsync() is { } sideways)
            {
                problems.Add(sideways);
            }

            problems.AddRange((await page.AccessibilityViolationsAsync()).Select(v => $"{path}: {v}"));
        }

        await page.Context.CloseAsync();
    }
}
