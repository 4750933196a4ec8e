using System.Text.RegularExpressions;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Returns;

public sealed partial class ReturnJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task CompleteReturn_DataLead_FixesAnErrorExplainsAQueryAndSubmits()
    {
        // Arrange: Leicester's previous year is close to this year's figures, so only the queries we cause appear.
        await portal.Factory.SetPreviousYearAsync("856", ReturnValuesBuilder.PreviousFgc10().Build());
        var ret = await portal.Factory.OpenReturnAsync("856");
        var definition = portal.Factory.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", "1.0")!;
        var answers = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "38").With("families_accepted", "60").Build();
        var page = await portal.NewPageAsync();
        var violations = new List<string>();
        await page.SignInAsync(TestData.Users.LeicesterLead);

        // Act and assert: the task list.
        await page.GotoAsync($"/returns/{ret.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("FGC annual return 2025-26");
        await Assertions.Expect(page.Locator(".govuk-task-list").First).ToContainTextAsync("Not yet started");
        violations.AddRange(await page.AccessibilityViolationsAsync());

        // Every section, answered through the form.
        foreach (var section in definition.Sections)
        {
            await page.GotoAsync($"/returns/{ret.Id}/sections/{section.Key}");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            foreach (var question in section.Questions)
            {
                await AnswerAsync(page, question, answers);
            }

            if (section.Key == "offers")
            {
                // Accepted (60) is more than offered (50): an error, shown inline and in the summary.
                var summary = page.Locator(".govuk-error-summary");
                await Assertions.Expect(summary).ToContainTextAsync("There is a problem");
                await Assertions.Expect(summary).ToContainTextAsync("(60)");
                await Assertions.Expect(page.Locator("#question-families_accepted")).ToHaveClassAsync(new Regex("govuk-form-group--error"));
                violations.AddRange(await page.AccessibilityViolationsAsync());
                await TypeAsync(page, "families_accepted", "37");
                await Assertions.Expect(page.Locator(".govuk-error-summary")).ToHaveCountAsync(0);
            }

            if (section.Key == "conferences")
            {
                // 38 FGCs held but only 37 families agreed: query Q01 needs an explanation.
                var explain = page.Locator("#explain-Q01");
                await Assertions.Expect(explain).ToBeVisibleAsync();
                var before = await page.SaveCountAsync();
                await explain.FillAsync("One family agreed in March 2025 and met in April 2025.");
                await explain.BlurAsync();
                await page.WaitForSaveAsync(before);
            }
        }

        // Check your answers.
        await page.GotoAsync($"/returns/{ret.Id}/check");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check your answers before submitting your return");
        await Assertions.Expect(page.Locator("#queries + dl")).ToContainTextAsync("One family agreed in March 2025");
        violations.AddRange(await page.AccessibilityViolationsAsync());

        // Submit with the declaration.
        await page.GetByLabel("Full name of the person who approved the figures").FillAsync("Priya Shah");
        await page.GetByLabel("Their job title").FillAsync("Head of Family Help");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" }).ClickAsync();
        await Assertions.Expect(page.Locator(".govuk-panel__title")).ToHaveTextAsync("Return submitted");
        await Assertions.Expect(page.Locator(".govuk-panel__body")).ToContainTextAsync("FGC-202526-856-1");
        violations.AddRange(await page.AccessibilityViolationsAsync());

        violations.ShouldBeEmpty();
    }

    private static async Task AnswerAsync(IPage page, Question question, IReadOnlyDictionary<string, string?> answers)
    {
        foreach (var key in question.ValueKeys.Where(answers.ContainsKey))
        {
            var value = answers[key];
            var container = page.Locator($"#question-{PageExtensions.FieldId(question.Key)}");
            switch (question.Type)
            {
                case QuestionType.YesNo:
                case QuestionType.SingleChoice:
                    await ClickAndWaitAsync(page, container.GetByLabel(question.EffectiveOptions.Single(o => o.Value == value).Label, new() { Exact = true }));
                    break;
                case QuestionType.MultipleChoice:
                    foreach (var option in value!.Split(','))
                    {
                        await ClickAndWaitAsync(page, container.GetByLabel(question.EffectiveOptions.Single(o => o.Value == option).Label, new() { Exact = true }));
                    }

                    break;
                default:
                    await TypeAsync(page, key, value!);
                    break;
            }
        }
    }

    private static async Task TypeAsync(IPage page, string key, string value)
    {
        var before = await page.SaveCountAsync();
        var input = page.Locator("#" + PageExtensions.FieldId(key));
        await input.FillAsync(value);
        await input.PressAsync("Tab");
        await page.WaitForSaveAsync(before);
    }

    private static async Task ClickAndWaitAsync(IPage page, ILocator target)
    {
        var before = await page.SaveCountAsync();
        await target.CheckAsync();
        await page.WaitForSaveAsync(before);
    }
}
