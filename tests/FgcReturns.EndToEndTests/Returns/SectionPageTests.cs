using System.Globalization;
using System.Text.RegularExpressions;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Returns;

/// <summary>The LA's section page as a person uses it: mouse, keyboard, reload, errors, in-page links, 320 px.</summary>
public sealed partial class SectionPageTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task ServiceSection_EveryRadioAndCheckboxAnswered_AllShowSelectedLiveAndAfterReload()
    {
        // Arrange
        var (page, ret) = await OpenAsLeadAsync("855", TestData.Users.LeicestershireLead, "service");

        // Act: the four radio questions and two checkbox questions, as a person clicks them.
        await CheckAndWaitAsync(page, "service_model", "Mixed");
        await CheckAndWaitAsync(page, "coordinators_independent", "Yes");
        await CheckAndWaitAsync(page, "frg_accredited", "Working towards accreditation");
        await CheckAndWaitAsync(page, "advocacy_offered", "No");
        await CheckAndWaitAsync(page, "recording_systems", "Spreadsheet");
        await CheckAndWaitAsync(page, "recording_systems", "Other");
        await CheckAndWaitAsync(page, "stages_offered", "Early help");

        // Assert: live, then after a reload.
        await ExpectAllSelectedAsync(page);
        await page.ReloadAsync();
        await page.WaitInteractiveAsync();
        await ExpectAllSelectedAsync(page);
        var stored = await portal.Factory.OpenReturnAsync("855");
        stored.Values["service_model"].ShouldBe("mixed");
        stored.Values["coordinators_independent"].ShouldBe("yes");
        stored.Values["frg_accredited"].ShouldBe("working_towards");
        stored.Values["advocacy_offered"].ShouldBe("no");
        stored.Values["recording_systems"].ShouldBe("spreadsheet,other");
        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();

        // Arrow keys move within one question only.
        var before = await page.SaveCountAsync();
        await Group(page, "frg_accredited").GetByLabel("Working towards accreditation", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.WaitForSaveAsync(before);
        await Assertions.Expect(Group(page, "frg_accredited").GetByLabel("Not accredited", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "advocacy_offered").GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "service_model").GetByLabel("Mixed", new() { Exact = true })).ToBeCheckedAsync();
        (await portal.Factory.OpenReturnAsync("855")).Values["advocacy_offered"].ShouldBe("no");
        _ = ret;
    }

    [Fact]
    public async Task UnparseableValue_IsNeverStored_AndThePageSaysNotSavedUntilFixed()
    {
        // Arrange
        var (page, ret) = await OpenAsLeadAsync(TestData.Medway, TestData.Users.MedwayLead, "offers");

        // Act
        await TypeAndWaitAsync(page, "families_offered", "abc");

        // Assert: kept in the field, shown as an error, "Not saved", title starts "Error: ", database untouched.
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync(new Regex("^Not saved: Families offered an FGC must be a whole number"));
        await Assertions.Expect(page.Locator("#families_offered")).ToHaveValueAsync("abc");
        await Assertions.Expect(page.Locator("#families_offered-error")).ToContainTextAsync("must be a whole number");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Error: "));
        (await portal.Factory.OpenReturnAsync(TestData.Medway)).Values.ShouldNotContainKey("families_offered");

        await TypeAndWaitAsync(page, "families_offered", "-5");
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync(new Regex("^Not saved: Families offered an FGC must be 0 or more"));
        (await portal.Factory.OpenReturnAsync(TestData.Medway)).Values.ShouldNotContainKey("families_offered");

        // Fixed: saved, and the title loses its "Error: ".
        await TypeAndWaitAsync(page, "families_offered", "50");
        await Assertions.Expect(page.Locator("#save-status")).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page).Not.ToHaveTitleAsync(new Regex("^Error: "));
        (await portal.Factory.OpenReturnAsync(TestData.Medway)).Values["families_offered"].ShouldBe("50");
        var history = await portal.Factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AuditEvents.Where(a => a.ReturnId == ret.Id && a.ItemKey == "families_offered").Select(a => a.NewValue)));
        history.ShouldBe(["50"]);
    }

    [Fact]
    public async Task TypingInAValidField_WhileAnotherHasAnError_KeepsFocusAndScrollWhereTheUserIs()
    {
        // Arrange: an error on families accepted (more than offered), shown at the top.
        var (page, _) = await OpenAsLeadAsync("856", TestData.Users.LeicesterLead, "offers");
        await TypeAndWaitAsync(page, "families_offered", "10");
        await TypeAndWaitAsync(page, "families_accepted", "20");
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("(20)");

        // Act: type into a field lower down and save by tabbing away, as a person does.
        var lower = page.Locator("#families_declined");
        await lower.ScrollIntoViewIfNeededAsync();
        await lower.FocusAsync();
        const string FieldTop = "() => document.getElementById('families_declined').getBoundingClientRect().top";
        var topBefore = await page.EvaluateAsync<double>(FieldTop);
        var before = await page.SaveCountAsync();
        await lower.FillAsync("3");
        await lower.DispatchEventAsync("change");
        await page.WaitForSaveAsync(before);

        // Assert: focus still in the field typed into; it stays where it was on screen (a new error above it
        // grows the summary, and the browser keeps the field in place); the page did not jump to the summary.
        (await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id")).ShouldBe("families_declined");
        var topAfter = await page.EvaluateAsync<double>(FieldTop);
        Math.Abs(topAfter - topBefore).ShouldBeLessThan(5);
        (await page.EvaluateAsync<double>("() => window.scrollY")).ShouldBeGreaterThan(0);

        // "Save and continue" with the error still there: now focus goes to the summary, and the page stays.
        var path = new Uri(page.Url).AbsolutePath;
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe(path);
    }

    [Fact]
    public async Task ErrorSummaryAndSkipLinks_StayOnThePage_AndMoveFocusToTheTarget()
    {
        // Arrange: an error on the offers section.
        var lead = await portal.Factory.AddUserAsync("lead.e2e.links@fgc.example", "390");
        var (page, ret) = await OpenAsLeadAsync("390", lead, "offers");
        await TypeAndWaitAsync(page, "families_offered", "10");
        await TypeAndWaitAsync(page, "families_accepted", "20");
        var path = new Uri(page.Url).AbsolutePath;

        // Act and assert: every link in the error summary.
        var links = page.Locator(".govuk-error-summary a");
        var count = await links.CountAsync();
        count.ShouldBeGreaterThan(0);
        for (var i = 0; i < count; i++)
        {
            var href = (await links.Nth(i).GetAttributeAsync("href"))!;
            await links.Nth(i).ClickAsync();
            new Uri(page.Url).AbsolutePath.ShouldBe(path);
            await Assertions.Expect(page.Locator(href)).ToBeFocusedAsync();
        }

        // The skip link, by keyboard, on this interactive page and on a static page.
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Locator(".govuk-skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        new Uri(page.Url).AbsolutePath.ShouldBe(path);
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();

        await page.GotoAsync($"/returns/{ret.Id}");
        await page.Locator(".govuk-skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        new Uri(page.Url).AbsolutePath.ShouldBe($"/returns/{ret.Id}");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task CheckAnswers_IncompleteReturn_HasNoDeclarationAndLinksToTheExactMissingQuestion()
    {
        // Arrange: everything answered except families declined.
        var email = await portal.Factory.AddUserAsync("lead.e2e.check@fgc.example", "841");
        await portal.Factory.SetPreviousYearAsync("841", ReturnValuesBuilder.PreviousFgc10().Build());
        var ret = await portal.Factory.OpenReturnAsync("841");
        var principal = await portal.Factory.PrincipalAsync(email);
        var values = ReturnValuesBuilder.ValidFgc10().Build().Where(kv => kv.Key != "families_declined").ToDictionary(kv => kv.Key, kv => kv.Value);
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(principal, ret.Id, values.AsChangesFromBlank(), ChangeSource.Form));
        var page = await portal.NewPageAsync();
        await page.SignInAsync(email);

        // Act
        await page.GotoAsync($"/returns/{ret.Id}/check");

        // Assert
        await Assertions.Expect(page.GetByLabel("Full name of the person who approved the figures")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" })).ToHaveCountAsync(0);
        var missing = page.Locator("#blockers a");
        await Assertions.Expect(missing).ToHaveCountAsync(1);
        await Assertions.Expect(missing).ToContainTextAsync("Families who declined");
        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
        await missing.ClickAsync();
        await page.WaitForURLAsync(new Regex("/sections/offers#families_declined$"));
        await Assertions.Expect(page.Locator("#families_declined")).ToBeFocusedAsync();

        // The task list does not offer a link to a submission that cannot happen.
        await page.GotoAsync($"/returns/{ret.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Check your answers and submit" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".govuk-task-list").Last).ToContainTextAsync("Cannot start yet");
    }

    [Theory]
    [InlineData(320)]
    [InlineData(1280)]
    public async Task SectionPage_AtPhoneAndDesktopWidths_HasNoSidewaysScrollAndNoAxeViolations(int width)
    {
        // Arrange
        var email = await portal.Factory.AddUserAsync($"lead.e2e.width{width}@fgc.example", width == 320 ? "805" : "806");
        var ret = await portal.Factory.OpenReturnAsync(width == 320 ? "805" : "806");
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.SignInAsync(email);

        // Act and assert: each section and the check answers page.
        foreach (var path in new[] { "sections/service", "sections/referrals", "sections/offers", "sections/characteristics", "check", "history" }.Select(p => $"/returns/{ret.Id}/{p}"))
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            if (path.Contains("/sections/", StringComparison.Ordinal))
            {
                await page.WaitInteractiveAsync();
            }

            var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            overflow.ShouldBeLessThanOrEqualTo(0, path);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"fgc-ui-{width}-{path.Replace('/', '_')}.png"), FullPage = true });
        }

        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
    }

    private async Task<(IPage Page, LaReturn Return)> OpenAsLeadAsync(string laCode, string email, string section)
    {
        var ret = await portal.Factory.OpenReturnAsync(laCode);
        var page = await portal.NewPageAsync();
        await page.SignInAsync(email);
        await page.GotoAsync($"/returns/{ret.Id}/sections/{section}");
        await page.WaitInteractiveAsync();
        return (page, ret);
    }

    private static async Task ExpectAllSelectedAsync(IPage page)
    {
        await Assertions.Expect(Group(page, "service_model").GetByLabel("Mixed", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "coordinators_independent").GetByLabel("Yes", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "frg_accredited").GetByLabel("Working towards accreditation", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "advocacy_offered").GetByLabel("No", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "recording_systems").GetByLabel("Spreadsheet", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "recording_systems").GetByLabel("Other", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(Group(page, "stages_offered").GetByLabel("Early help", new() { Exact = true })).ToBeCheckedAsync();
    }

    private static ILocator Group(IPage page, string key) => page.Locator($"#question-{key}");

    private static async Task CheckAndWaitAsync(IPage page, string key, string label)
    {
        var before = await page.SaveCountAsync();
        await Group(page, key).GetByLabel(label, new() { Exact = true }).CheckAsync();
        await page.WaitForSaveAsync(before);
    }

    private static async Task TypeAndWaitAsync(IPage page, string key, string value)
    {
        var before = await page.SaveCountAsync();
        var input = page.Locator("#" + key.Replace('.', '-'));
        await input.FillAsync(value);
        await input.PressAsync("Tab");
        await page.WaitForSaveAsync(before);
    }
}
