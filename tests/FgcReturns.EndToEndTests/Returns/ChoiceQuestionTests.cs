using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.IntegrationTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Returns;

/// <summary>
/// Every radio and checkbox question of every section of FGC 1.0 and of the 1.1 draft, answered with the keyboard as a
/// person would (Space to choose, arrow keys within a group): every answer shows selected live and after a reload, and
/// is what is stored. (Every radio group once shared one name, so only the last answer showed.)
/// </summary>
public sealed class ChoiceQuestionTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("1.0", "873")]
    [InlineData("1.1", "874")]
    public async Task EveryChoiceQuestion_AnsweredByKeyboard_ShowsSelectedLiveAndAfterReload(string version, string laCode)
    {
        // Arrange: an open return on the definition version, and its lead.
        var definition = portal.Factory.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", version)!;
        var returnId = await OpenReturnOnVersionAsync(version, laCode);
        var lead = await portal.Factory.AddUserAsync($"lead.e2e.choices.{laCode}@fgc.example", laCode);
        var page = await portal.NewPageAsync();
        await page.SignInAsync(lead);
        var expected = new Dictionary<string, string>();
        var checkedLabels = new List<(string Section, string Question, string Label)>();

        foreach (var section in definition.Sections.Where(s => s.Questions.Any(IsChoice)))
        {
            await page.GotoAsync($"/returns/{returnId}/sections/{section.Key}");
            await page.WaitInteractiveAsync();

            // Act: the second option of each radio question (reached with an arrow key from the first), the first and
            // last of each checkbox question (Space on each).
            foreach (var question in section.Questions.Where(IsChoice))
            {
                var options = question.EffectiveOptions;
                var group = page.Locator($"#question-{question.Key}");
                if (question.Type == QuestionType.MultipleChoice)
                {
                    foreach (var option in new[] { options[0], options[^1] })
                    {
                        await PressAndWaitAsync(page, group.GetByLabel(option.Label, new() { Exact = true }), "Space");
                        checkedLabels.Add((section.Key, question.Key, option.Label));
                    }

                    expected[question.Key] = $"{options[0].Value},{options[^1].Value}";
                }
                else
                {
                    await PressAndWaitAsync(page, group.GetByLabel(options[0].Label, new() { Exact = true }), "Space");
                    await PressAndWaitAsync(page, group.GetByLabel(options[0].Label, new() { Exact = true }), "ArrowDown");
                    checkedLabels.Add((section.Key, question.Key, options[1].Label));
                    expected[question.Key] = options[1].Value;
                }
            }

            // Assert: live, then after a reload.
            await ExpectCheckedAsync(page, checkedLabels.Where(c => c.Section == section.Key));
            await page.ReloadAsync();
            await page.WaitInteractiveAsync();
            await ExpectCheckedAsync(page, checkedLabels.Where(c => c.Section == section.Key));
        }

        expected.Count.ShouldBeGreaterThanOrEqualTo(6);
        var stored = await portal.Factory.WithDbAsync(db => db.Returns.FindAsync(returnId).AsTask());
        foreach (var (key, value) in expected)
        {
            stored!.Values.GetValueOrDefault(key).ShouldBe(value, $"{key} as stored");
        }
    }

    private static bool IsChoice(Question question) =>
        question.Type is QuestionType.YesNo or QuestionType.SingleChoice or QuestionType.MultipleChoice;

    private async Task<int> OpenReturnOnVersionAsync(string version, string laCode)
    {
        var existing = await portal.Factory.WithDbAsync(db => Task.FromResult(db.Returns
            .Where(r => r.LaCode == laCode && r.Collection!.DefinitionVersion == version && r.Collection.Status == CollectionStatus.Open)
            .Select(r => (int?)r.Id).FirstOrDefault()));
        if (existing is { } id)
        {
            return id;
        }

        // The 1.1 draft cannot be collected through the portal until it is published: arrange it directly.
        return await portal.Factory.WithDbAsync(async db =>
        {
            var collection = new Collection
            {
                SurveyId = "fgc-annual",
                DefinitionVersion = version,
                Period = "2026-27",
                PeriodStart = new DateOnly(2026, 4, 1),
                PeriodEnd = new DateOnly(2027, 3, 31),
                OpensOn = new DateOnly(2026, 11, 1),
                Deadline = new DateOnly(2027, 6, 30),
                Status = CollectionStatus.Open,
                CreatedAt = portal.Factory.Clock.GetUtcNow(),
                Title = "FGC annual return 2026-27 (1.1 preview)",
            };
            var ret = new LaReturn { Collection = collection, LaCode = laCode, Status = ReturnStatus.NotStarted };
            db.Returns.Add(ret);
            await db.SaveChangesAsync();
            return ret.Id;
        });
    }

    private static async Task ExpectCheckedAsync(IPage page, IEnumerable<(string Section, string Question, string Label)> answers)
    {
        foreach (var (_, question, label) in answers)
        {
            await Assertions.Expect(page.Locator($"#question-{question}").GetByLabel(label, new() { Exact = true })).ToBeCheckedAsync();
        }
    }

    private static async Task PressAndWaitAsync(IPage page, ILocator input, string key)
    {
        var before = await page.Locator("#save-status").GetAttributeAsync("data-save-count");
        await input.FocusAsync();
        await page.Keyboard.PressAsync(key);
        await Assertions.Expect(page.Locator("#save-status")).Not.ToHaveAttributeAsync("data-save-count", before ?? "0");
    }
}
