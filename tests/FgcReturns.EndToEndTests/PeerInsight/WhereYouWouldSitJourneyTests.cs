using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.PeerInsight;

/// <summary>The "where you would sit" panel on check your answers, in a real browser, with axe, at 1280 and 320 CSS pixels.</summary>
public sealed class WhereYouWouldSitJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task CheckAnswers_WithAFinalBuild_ShowsThePanelChartAndTableWithoutAccessibilityViolations(int width)
    {
        // Arrange: a final build over the demo's accepted 2024-25 returns, and Medway's 2025-26 answers.
        var ct = TestContext.Current.CancellationToken;
        var build = await portal.Factory.Services.GetRequiredService<BenchmarkBuilder>()
            .BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var lead = await portal.Factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await portal.Factory.OpenReturnAsync(TestData.Medway);
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s =>
            s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form, ct));
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.SignInAsync(TestData.Users.MedwayLead);

        // Act
        await page.GotoAsync($"/returns/{ret.Id}/check");
        var panel = page.Locator("section[aria-labelledby='where-you-would-sit']");

        // Assert: a sentence, a chart with a text alternative and a table row per indicator; 40 of 50 families is 80%.
        await Assertions.Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Where you would sit" })).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator("[data-testid='peer-sentences']")).ToContainTextAsync("Families who agreed to an FGC: yours would be 80%");
        var chart = panel.Locator("[data-testid='peer-chart'] svg").First;
        await Assertions.Expect(chart).ToHaveAttributeAsync("role", "img");
        await Assertions.Expect(chart).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Families who agreed to an FGC: yours would be 80%"));
        await Assertions.Expect(panel.Locator("tr[data-key='acceptance_rate'] td").First).ToHaveTextAsync("80%");
        var scrollsSideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        scrollsSideways.ShouldBeFalse();
        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
    }
}
