using FgcReturns.Core.Benchmarks;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Benchmarks;

public sealed class CompareJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Compare_DataLeadAndAnalyst_SeeTheBenchmarksWithoutAccessibilityViolations()
    {
        // Arrange: a final benchmark build over the seeded accepted 2024-25 returns, as the acceptance job would make.
        var build = await portal.Factory.Services.GetRequiredService<BenchmarkBuilder>()
            .BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: TestContext.Current.CancellationToken);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var violations = new List<string>();

        // Act and assert: Medway's data lead opens the compare page, which starts on the latest year with accepted
        // figures (2024-25, not the open 2025-26), and can switch year: Medway beside England, region and neighbours.
        var lead = await portal.NewPageAsync();
        await lead.SignInAsync(TestData.Users.MedwayLead);
        await lead.GotoAsync("/compare");
        await Assertions.Expect(lead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compare Medway, 2024-25");
        await lead.GetByRole(AriaRole.Navigation, new() { Name = "Reporting year" }).GetByRole(AriaRole.Link, new() { Name = TestData.OpenPeriod }).ClickAsync();
        await Assertions.Expect(lead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compare Medway, 2025-26");
        await lead.GetByRole(AriaRole.Navigation, new() { Name = "Reporting year" }).GetByRole(AriaRole.Link, new() { Name = TestData.PreviousPeriod }).ClickAsync();
        await Assertions.Expect(lead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compare Medway, 2024-25");
        var first = lead.Locator("main section[aria-labelledby^='m-']").First;
        var summary = first.Locator(".govuk-summary-list");
        await Assertions.Expect(summary.Locator("dt")).ToHaveTextAsync(["Medway", "England", "South East", "Statistical neighbours"]);
        // England's figure is the build's England rate for this measure, as published (not just any number).
        var measureKey = (await first.GetAttributeAsync("aria-labelledby"))!["m-".Length..];
        var (england, threshold) = await portal.Factory.WithDbAsync(async db =>
        {
            var collectionId = await db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync();
            var area = await db.Set<BenchmarkAreaValue>().AsNoTracking()
                .SingleAsync(a => a.BuildId == build.BuildId && a.CollectionId == collectionId && a.MeasureKey == measureKey && a.AreaLevel == AreaLevel.National);
            return (area, (await db.Set<BenchmarkBuild>().SingleAsync(b => b.Id == build.BuildId)).SuppressionThreshold);
        });
        var expected = DisclosureControl.Area(england, MeasureKind.Indicator, DisclosureControl.Statistic.Rate, threshold, DisclosureView.Suppressed).Format(1);
        expected.ShouldMatch(@"^\d+\.\d$"); // a published figure, not a symbol
        await Assertions.Expect(summary.Locator("dd").Nth(1)).ToHaveTextAsync(expected);
        var chart = first.Locator("svg.fgc-chart").First;
        await Assertions.Expect(chart).ToHaveAttributeAsync("role", "img");
        await Assertions.Expect(chart.Locator("title")).ToContainTextAsync("Medway and its statistical neighbours, 2024-25");
        var table = first.Locator("table.govuk-table").First;
        await Assertions.Expect(table.Locator("caption")).ToContainTextAsync("Medway and its statistical neighbours, 2024-25");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(11);
        await Assertions.Expect(table.Locator("tbody")).ToContainTextAsync("Medway (this LA)");
        violations.AddRange(await lead.AccessibilityViolationsAsync());

        // An analyst sees the build history.
        var analyst = await portal.NewPageAsync();
        await analyst.SignInAsync(TestData.Users.Analyst);
        await analyst.GotoAsync("/benchmarks");
        await Assertions.Expect(analyst.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(analyst.Locator("main")).ToContainTextAsync("Succeeded");
        violations.AddRange(await analyst.AccessibilityViolationsAsync());

        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task ComparePages_At320CssPixels_DoNotScrollSidewaysAndChartTextStaysReadable()
    {
        // Arrange
        var build = await portal.Factory.Services.GetRequiredService<BenchmarkBuilder>()
            .BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: TestContext.Current.CancellationToken);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var violations = new List<string>();
        var lead = await portal.NewPageAsync();
        await lead.SetViewportSizeAsync(320, 900);
        await lead.SignInAsync(TestData.Users.MedwayLead);

        // Act
        await lead.GotoAsync("/compare");
        await Assertions.Expect(lead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Compare Medway");
        var pageScrollsSideways = await lead.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        var chartTextHeight = await lead.EvaluateAsync<double>("() => document.querySelector('svg.fgc-chart text').getBoundingClientRect().height");
        var scrollRegion = lead.GetByRole(AriaRole.Region, new() { Name = "and its statistical neighbours, table" }).First;
        violations.AddRange(await lead.AccessibilityViolationsAsync());

        var analyst = await portal.NewPageAsync();
        await analyst.SetViewportSizeAsync(320, 900);
        await analyst.SignInAsync(TestData.Users.Analyst);
        await analyst.GotoAsync("/benchmarks");
        await Assertions.Expect(analyst.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        var benchmarksScrollSideways = await analyst.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        violations.AddRange(await analyst.AccessibilityViolationsAsync());

        // Assert: no horizontal scroll of the page (WCAG 1.4.10); wide content scrolls in its own labelled region;
        // chart labels at least 12 CSS px tall (they were about 6px when the chart shrank to fit).
        pageScrollsSideways.ShouldBeFalse();
        benchmarksScrollSideways.ShouldBeFalse();
        chartTextHeight.ShouldBeGreaterThanOrEqualTo(12);
        await Assertions.Expect(scrollRegion).ToHaveAttributeAsync("tabindex", "0");
        violations.ShouldBeEmpty();
    }
}
