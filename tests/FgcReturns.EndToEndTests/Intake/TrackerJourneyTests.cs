using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace FgcReturns.EndToEndTests.Intake;

/// <summary>
/// A data lead computes the return from the FGC service's tracker in a real browser, keyboard only, at 1280 and 320
/// CSS pixels: a tracker with row problems is refused with each problem by row and column, the error summary's links
/// land on the file input; a clean tracker is previewed, then saved. Axe and the reflow check on every page.
/// </summary>
public sealed class TrackerJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string MedwayLead = TestData.Users.MedwayLead;

    /// <summary>The integration tests' tracker with known answers: 3 families, 8 children, 2 initial FGCs held.</summary>
    private static TrackerBuilder CleanTracker() => TrackerBuilder.Empty()
        .Referral("ZQX-40117", "2025-05-01", children: 2, stage: "Child protection", offered: "2025-05-06", response: "Declined")
        .Referral("ZQX-40117", "2025-09-01", children: 3, stage: "Pre-proceedings (Public Law Outline)", offered: "2025-09-03", response: "Accepted",
            initialFgc: "2025-09-24", planAgreed: "2025-09-24", review: "2025-12-10", outcome: "With parents")
        .Referral("ZQX-40992", "2025-06-02", children: 1, offered: "2025-06-02", response: "Accepted", initialFgc: "2025-06-09", outcome: "Looked after")
        .Referral("ZQX-41555", "2026-02-02", children: 4, viable: "No");

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task Tracker_KeyboardOnly_RowProblemsLinkToTheFileThenACleanTrackerIsPreviewedAndSaved(int width)
    {
        // Arrange: Medway's 2025-26 return on the 1.1 draft (which declares the tracker), with no answers yet.
        var ct = TestContext.Current.CancellationToken;
        await ExecuteAsync("""
            UPDATE collections SET definition_version = '1.1' WHERE period = '2025-26';
            UPDATE returns SET "values" = '{}'::jsonb, status = 'NotStarted'
            WHERE la_code = '887' AND collection_id = (SELECT id FROM collections WHERE period = '2025-26');
            """);
        var ret = await portal.Factory.OpenReturnAsync(TestData.Medway);
        var definition = portal.Factory.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", "1.1")!;
        var folder = Directory.CreateTempSubdirectory("fgc-tracker-");
        var bad = Path.Combine(folder.FullName, "tracker-with-problems.xlsx");
        var clean = Path.Combine(folder.FullName, "our-fgc-tracker.xlsx");
        await File.WriteAllBytesAsync(bad, CleanTracker()
            .Referral("Jayden Smith", "2025-06-02")
            .Referral("ZQX-42000", "2025-07-01", offered: "2025-07-02", response: "Accepted", initialFgc: "2025-06-20")
            .Build(definition), ct);
        await File.WriteAllBytesAsync(clean, CleanTracker().Build(definition), ct);
        var violations = new List<string>();
        var page = await IntakePages.NewPageAsync(portal, width);
        await IntakePages.SignInByKeyboardAsync(page, MedwayLead);

        // Act 1: the tracker page, then a tracker with a name as a reference and a conference before its referral.
        await page.GotoAsync($"/returns/{ret.Id}/tracker");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compute your return from your FGC tracker");
        await IntakePages.CheckPageAsync(page, violations);
        await page.Locator("#file").SetInputFilesAsync(bad);
        await IntakePages.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Compute the figures" }));
        await Assertions.Expect(page.Locator(".govuk-error-summary__title")).ToHaveTextAsync("There is a problem with the tracker");
        var problems = (await page.Locator("#tracker-problems li").AllInnerTextsAsync()).ToList();
        var links = await page.Locator("#tracker-problems a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        await IntakePages.CheckPageAsync(page, violations);
        await IntakePages.ActivateAsync(page, page.Locator("#tracker-problems a").Last, navigates: false);
        await Assertions.Expect(page.Locator("#file")).ToBeFocusedAsync();
        var valuesAfterProblems = (await portal.Factory.OpenReturnAsync(TestData.Medway)).Values;

        // Act 2: the clean tracker, previewed.
        await page.Locator("#file").SetInputFilesAsync(clean);
        await IntakePages.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Compute the figures" }));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check the figures from your tracker");
        var aggregates = await page.Locator("#aggregates").InnerTextAsync();
        var changes = await page.Locator("#changes caption").InnerTextAsync();
        await IntakePages.CheckPageAsync(page, violations);

        // Act 3: save them.
        await IntakePages.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Save these figures" }));
        await page.WaitForURLAsync(url => url.EndsWith($"/returns/{ret.Id}?uploaded=true", StringComparison.Ordinal));
        await IntakePages.CheckPageAsync(page, violations);
        var saved = (await portal.Factory.OpenReturnAsync(TestData.Medway)).Values;

        // Assert: each problem by row and column, each linking to the file input; nothing saved from the bad file.
        problems.ShouldContain(p => p.StartsWith("Row 6, Local reference: looks like a person's name", StringComparison.Ordinal));
        problems.ShouldContain(p => p.StartsWith("Row 7, Initial FGC date: is before the", StringComparison.Ordinal));
        problems.ShouldAllBe(p => !p.Contains("Jayden", StringComparison.Ordinal));
        links.ShouldAllBe(href => href == "#file");
        valuesAfterProblems.ShouldBeEmpty();

        // The preview shows the figures and what would change; saving stores them.
        aggregates.ShouldContain("Number of families (distinct Local reference), with Referral date in the reporting period");
        changes.ShouldEndWith("would change");
        aggregates.ShouldNotContain("ZQX-");
        saved["referrals_families"].ShouldBe("3");
        saved["referrals_children"].ShouldBe("8");
        saved["initial_fgcs_held"].ShouldBe("2");
        violations.ShouldBeEmpty();
        folder.Delete(recursive: true);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(portal.Factory.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
