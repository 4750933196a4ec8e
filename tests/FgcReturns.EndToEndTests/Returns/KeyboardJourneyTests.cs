using System.Globalization;
using System.Text.RegularExpressions;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Returns;

/// <summary>
/// The whole LA journey and the analyst's review with the keyboard only (Tab, Shift+Tab, Space, arrow keys, Enter
/// and typing; no clicks, no filling by script), at phone and desktop widths: every page reachable in focus order,
/// no sideways scroll of the page, axe clean.
/// </summary>
public sealed class KeyboardJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    /// <summary>More Tab presses than any page here has stops: reaching a target takes fewer, or it is unreachable.</summary>
    private const int MaxTabStops = 400;

    [Theory]
    [InlineData(320, "856", TestData.Users.LeicesterLead)]
    [InlineData(1280, "855", TestData.Users.LeicestershireLead)]
    public async Task ReturnAndReview_KeyboardOnly_SubmittedSentBackAndAccepted(int width, string laCode, string leadEmail)
    {
        // Arrange: last year's figures close to this year's, so only the query we cause appears.
        await portal.Factory.SetPreviousYearAsync(laCode, ReturnValuesBuilder.PreviousFgc10().Build());
        var ret = await portal.Factory.OpenReturnAsync(laCode);
        var definition = portal.Factory.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", "1.0")!;
        var answers = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "38").With("families_accepted", "37").Build();
        var violations = new List<string>();
        var lead = await NewPageAsync(width);

        // Act and assert: sign in, open the return from the home page.
        await SignInByKeyboardAsync(lead, leadEmail);
        await CheckPageAsync(lead, violations);
        await FollowLinkAsync(lead, lead.Locator($"main a[href='/returns/{ret.Id}']"));
        await Assertions.Expect(lead.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("FGC annual return 2025-26");
        await CheckPageAsync(lead, violations);
        await FollowLinkAsync(lead, lead.Locator($"main a[href='/returns/{ret.Id}/sections/{definition.Sections[0].Key}']"));

        // Every section in order, each left with "Save and continue".
        foreach (var section in definition.Sections)
        {
            await Assertions.Expect(lead).ToHaveURLAsync(new Regex($"/sections/{section.Key}$"), new() { Timeout = 30_000 });
            await lead.WaitInteractiveAsync();
            foreach (var question in section.Questions)
            {
                await AnswerAsync(lead, question, answers);
            }

            if (section.Key == "offers")
            {
                // A wrong figure: accepted (60) more than offered (50) is an error, shown and then fixed.
                await TypeIntoAsync(lead, "families_accepted", "60");
                await Assertions.Expect(lead.Locator(".govuk-error-summary")).ToContainTextAsync("(60)");
                await Assertions.Expect(lead).ToHaveTitleAsync(new Regex("^Error: "));
                await CheckPageAsync(lead, violations);
                await TypeIntoAsync(lead, "families_accepted", answers["families_accepted"]!);
                await Assertions.Expect(lead.Locator(".govuk-error-summary")).ToHaveCountAsync(0);
                await Assertions.Expect(lead).Not.ToHaveTitleAsync(new Regex("^Error: "));
            }

            if (section.Key == "conferences")
            {
                // 38 FGCs held but 37 families agreed: a query, explained.
                await TypeIntoAsync(lead, "explain-Q01", "One family agreed in March 2025 and met in April 2025.");
            }

            await CheckPageAsync(lead, violations);
            var next = lead.GetByRole(AriaRole.Button, new() { Name = section == definition.Sections[^1] ? "Save and check your answers" : "Save and continue" });
            await TabToAsync(lead, next);
            await lead.Keyboard.PressAsync("Enter");
        }

        // Every answer typed is the answer stored.
        var saved = await portal.Factory.OpenReturnAsync(laCode);
        answers.Where(a => saved.Values.GetValueOrDefault(a.Key) != a.Value)
            .Select(a => $"{a.Key}: typed {a.Value}, stored {saved.Values.GetValueOrDefault(a.Key) ?? "nothing"}")
            .ShouldBeEmpty();

        // Check answers, the declaration and submit.
        await Assertions.Expect(lead).ToHaveURLAsync(new Regex($"/returns/{ret.Id}/check$"), new() { Timeout = 30_000 });
        await Assertions.Expect(lead.Locator("#queries + dl")).ToContainTextAsync("One family agreed in March 2025");
        await CheckPageAsync(lead, violations);
        await ExpectDeclarationAsync(lead);
        await TypeIntoAsync(lead, "declaration-name", "Priya Shah", waitForSave: false);
        await TypeIntoAsync(lead, "declaration-role", "Head of Family Help", waitForSave: false);
        await TabToAsync(lead, lead.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" }));
        await lead.Keyboard.PressAsync("Enter");
        await Assertions.Expect(lead.Locator(".govuk-panel__title")).ToHaveTextAsync("Return submitted");
        await Assertions.Expect(lead.Locator(".govuk-panel__body")).ToContainTextAsync($"FGC-202526-{laCode}-1");
        await CheckPageAsync(lead, violations);
        (await portal.Factory.OpenReturnAsync(laCode)).Status.ShouldBe(ReturnStatus.Submitted);

        // The data lead's confirmation email carries the reference the page showed.
        var confirmation = portal.Emails().LastOrDefault(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, leadEmail, StringComparison.OrdinalIgnoreCase)));
        confirmation.ShouldNotBeNull($"No confirmation email reached {leadEmail}.");
        confirmation.Subject.ShouldBe($"FGC annual return 2025-26: your return has been submitted – reference FGC-202526-{laCode}-1");
        (confirmation.TextBody ?? "").ShouldContain($"Your reference is FGC-202526-{laCode}-1.");

        // The analyst: chase list, review, send back with a comment.
        var analyst = await NewPageAsync(width);
        await SignInByKeyboardAsync(analyst, TestData.Users.Analyst);
        await analyst.GotoAsync($"/collections/{ret.CollectionId}");
        await CheckPageAsync(analyst, violations);
        await FollowLinkAsync(analyst, analyst.Locator($"main a[href='/review/{ret.Id}']"));
        await CheckPageAsync(analyst, violations);
        await TabToAsync(analyst, analyst.Locator("#decision-accept"));
        await analyst.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(analyst.Locator("#decision-send-back")).ToBeCheckedAsync();
        await TypeIntoAsync(analyst, "comment", "Please check review FGCs held: 20 looks low for your service.", waitForSave: false);
        await TabToAsync(analyst, analyst.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }));
        await analyst.Keyboard.PressAsync("Enter");
        await Assertions.Expect(analyst.Locator("main")).ToContainTextAsync("sent back to the local authority for amendment");
        await CheckPageAsync(analyst, violations);

        // The lead amends one figure and resubmits, by keyboard.
        await lead.GotoAsync($"/returns/{ret.Id}/sections/conferences");
        await lead.WaitInteractiveAsync();
        await TypeIntoAsync(lead, "review_fgcs_held", "26");
        await lead.GotoAsync($"/returns/{ret.Id}/check");
        await ExpectDeclarationAsync(lead);
        await TypeIntoAsync(lead, "declaration-name", "Priya Shah", waitForSave: false);
        await TypeIntoAsync(lead, "declaration-role", "Head of Family Help", waitForSave: false);
        await TabToAsync(lead, lead.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" }));
        await lead.Keyboard.PressAsync("Enter");
        await Assertions.Expect(lead.Locator(".govuk-panel__body")).ToContainTextAsync($"FGC-202526-{laCode}-2");

        // The analyst accepts the amended return.
        await analyst.GotoAsync($"/review/{ret.Id}");
        await TabToAsync(analyst, analyst.Locator("#decision-accept"));
        await analyst.Keyboard.PressAsync("Space");
        await TabToAsync(analyst, analyst.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }));
        await analyst.Keyboard.PressAsync("Enter");
        await Assertions.Expect(analyst.Locator("main")).ToContainTextAsync("The return has been accepted");
        await CheckPageAsync(analyst, violations);

        var stored = await portal.Factory.OpenReturnAsync(laCode);
        stored.Status.ShouldBe(ReturnStatus.Accepted);
        stored.Values["families_accepted"].ShouldBe(answers["families_accepted"]);
        stored.Values["review_fgcs_held"].ShouldBe("26");
        stored.Values["service_model"].ShouldBe(answers["service_model"]);

        // Every page of both journeys: no sideways scroll at this width, axe clean.
        violations.ShouldBeEmpty();
    }

    /// <summary>Check answers offers the declaration only on a return that can be submitted; says why not when it does not.</summary>
    private static async Task ExpectDeclarationAsync(IPage page)
    {
        await page.Locator("h1").WaitForAsync();
        if (await page.Locator("#declaration-name").CountAsync() == 0)
        {
            throw new ShouldAssertException("Check answers offers no declaration: " + await page.Locator("main").InnerTextAsync());
        }
    }

    private async Task<IPage> NewPageAsync(int width)
    {
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 800);
        return page;
    }

    private static async Task SignInByKeyboardAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await TypeIntoAsync(page, "email", email, waitForSave: false);
        await TypeIntoAsync(page, "password", TestSupport.SignInExtensions.DemoPassword, waitForSave: false);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    private static async Task AnswerAsync(IPage page, Question question, IReadOnlyDictionary<string, string?> answers)
    {
        foreach (var key in question.ValueKeys.Where(answers.ContainsKey))
        {
            var value = answers[key]!;
            var group = page.Locator($"#question-{PageExtensions.FieldId(question.Key)}");
            var options = question.EffectiveOptions;
            switch (question.Type)
            {
                case QuestionType.YesNo:
                case QuestionType.SingleChoice:
                    // Tab stops on the group's first radio; Space chooses it, each arrow key moves the choice on.
                    await TabToAsync(page, group.Locator("input[type=radio]").First);
                    var index = options.ToList().FindIndex(o => o.Value == value);
                    for (var i = 0; i <= index; i++)
                    {
                        await PressAndWaitForSaveAsync(page, i == 0 ? "Space" : "ArrowDown");
                    }

                    break;
                case QuestionType.MultipleChoice:
                    foreach (var option in value.Split(','))
                    {
                        var box = group.GetByLabel(options.Single(o => o.Value == option).Label, new() { Exact = true });
                        await TabToAsync(page, box);
                        await PressAndWaitForSaveAsync(page, "Space");
                    }

                    break;
                default:
                    await TypeIntoAsync(page, PageExtensions.FieldId(key), value);
                    break;
            }
        }
    }

    /// <summary>Tabs to the field, replaces what is in it by typing, and tabs on (which saves on a return page).</summary>
    private static async Task TypeIntoAsync(IPage page, string id, string text, bool waitForSave = true)
    {
        await TabToAsync(page, page.Locator("#" + id));
        var before = await page.SaveCountAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
        if (waitForSave)
        {
            await page.Keyboard.PressAsync("Tab");
            await page.WaitForSaveAsync(before);
        }
    }

    private static async Task PressAndWaitForSaveAsync(IPage page, string key)
    {
        var before = await page.SaveCountAsync();
        await page.Keyboard.PressAsync(key);
        await page.WaitForSaveAsync(before);
    }

    private static async Task FollowLinkAsync(IPage page, ILocator link)
    {
        var from = page.Url;
        await TabToAsync(page, link);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url != from, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("h1").WaitForAsync();
    }

    /// <summary>Presses Tab until the target has focus; fails if it is not in the page's focus order.</summary>
    private static Task TabToAsync(IPage page, ILocator target) => page.TabToAsync(target, MaxTabStops);

    /// <summary>No sideways scroll of the page (WCAG 1.4.10) and no axe violation.</summary>
    private static Task CheckPageAsync(IPage page, List<string> violations) => page.CheckReflowAndAccessibilityAsync(violations);
}
