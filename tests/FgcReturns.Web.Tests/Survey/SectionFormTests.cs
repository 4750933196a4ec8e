using Bunit;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using FgcReturns.TestSupport;
using FgcReturns.Web.Components.Survey;
using Microsoft.AspNetCore.Components;

namespace FgcReturns.Web.Tests.Survey;

public sealed class SectionFormTests : BunitContext
{
    private const string Yaml = """
        survey_id: test-survey
        version: "1.0"
        title: Test survey
        status: draft
        period_type: financial_year
        changelog: First version.
        sections:
          - key: main
            title: Main
            questions:
              - key: referred
                label: Children referred
                hint: Count each child once.
                guidance: Count children referred between 1 April and 31 March.
                type: count
                unit: children
                max: 5000
                not_recorded_allowed: true
              - key: fte
                label: Coordinators (full-time equivalent)
                type: decimal
                unit: fte
              - key: independent
                label: Are coordinators independent?
                type: yes_no
              - key: model
                label: How is the service delivered?
                type: single_choice
                not_recorded_allowed: true
                options:
                  - { value: in_house, label: In-house }
                  - { value: commissioned, label: Commissioned }
              - key: systems
                label: Where is data recorded?
                type: multiple_choice
                options:
                  - { value: cms, label: Case management system }
                  - { value: spreadsheet, label: Spreadsheet }
              - key: notes
                label: Anything else
                type: text
              - key: by_stage
                label: Children referred, by stage
                hint: The rows must add up to children referred.
                type: count_grid
                unit: children
                not_recorded_allowed: true
                total_of: referred
                rows:
                  - { value: early_help, label: Early help }
                  - { value: child_protection, label: Child protection }
        rules:
          - id: E01
            severity: error
            assert: fte <= referred
            message: Coordinators ({fte}) cannot be more than children referred ({referred})
          - id: Q01
            severity: query
            assert: referred > 0
            items: [referred]
            message: No children were referred. Check the figures, or explain
        """;

    private static readonly SurveyDefinition Definition = Load();

    private static SurveyDefinition Load()
    {
        var result = SurveyDefinitionLoader.LoadText("test-survey/1.0.yaml", Yaml);
        result.Problems.ShouldBeEmpty();
        return result.Definitions.Single();
    }

    private static Section Main => Definition.Sections[0];

    public SectionFormTests() => SetRendererInfo(new RendererInfo("Server", true));

    private IRenderedComponent<SectionForm> RenderForm(
        IReadOnlyDictionary<string, string?>? values = null,
        IReadOnlyList<ValidationIssue>? issues = null,
        bool readOnly = false,
        Action<(string Key, StoredAnswer Answer)>? onAnswer = null,
        Action<(string RuleId, string Text)>? onExplanation = null,
        IReadOnlyDictionary<string, string?>? previous = null) =>
        Render<SectionForm>(p =>
        {
            p.Add(x => x.Definition, Definition)
                .Add(x => x.Section, Main)
                .Add(x => x.Values, values ?? new Dictionary<string, string?>())
                .Add(x => x.Issues, issues ?? [])
                .Add(x => x.ReadOnly, readOnly)
                .Add(x => x.PreviousValues, previous)
                .Add(x => x.PreviousPeriod, TestData.PreviousPeriod)
                .Add(x => x.Explanations, new Dictionary<string, string> { ["Q01"] = "Service paused" });
            if (onAnswer is not null)
            {
                p.Add(x => x.OnAnswerChanged, onAnswer);
            }

            if (onExplanation is not null)
            {
                p.Add(x => x.OnExplanationChanged, onExplanation);
            }
        });

    [Fact]
    public void EveryQuestion_IsInItsOwnFormGroup()
    {
        var cut = RenderForm();

        cut.FindAll(".app-question.govuk-form-group").Count.ShouldBe(Main.Questions.Count);
    }

    [Fact]
    public void Count_RendersLabelledNumericInputWithUnitNotRecordedAndGuidance()
    {
        var cut = RenderForm();

        var group = cut.Find("#question-referred");
        var input = group.QuerySelector("input#referred")!;
        input.GetAttribute("inputmode").ShouldBe("numeric");
        input.GetAttribute("type").ShouldBe("text");
        var label = group.QuerySelector("label[for=referred]")!;
        label.ClassList.ShouldContain("govuk-label--s");
        label.TextContent.Trim().ShouldBe("Children referred");
        group.QuerySelector("#referred-hint")!.TextContent.Trim().ShouldBe("Count each child once.");
        group.QuerySelector(".govuk-input__suffix")!.TextContent.ShouldBe("children");
        group.QuerySelector("input#referred-not-recorded[type=checkbox]").ShouldNotBeNull();
        var details = group.QuerySelector("details.govuk-details")!;
        details.QuerySelector(".govuk-details__summary-text")!.TextContent.Trim().ShouldBe("What to count");
        details.TextContent.ShouldContain("between 1 April and 31 March");
    }

    [Fact]
    public void Decimal_RendersNumberFieldWithoutNotRecordedAndKeepsDecimalValue()
    {
        var cut = RenderForm(values: new Dictionary<string, string?> { ["fte"] = "1.5" });

        var group = cut.Find("#question-fte");
        var input = group.QuerySelector("input#fte")!;
        input.GetAttribute("value").ShouldBe("1.5");
        input.GetAttribute("inputmode").ShouldBe("decimal");
        group.QuerySelector(".govuk-input__suffix")!.TextContent.ShouldBe("fte");
        group.QuerySelectorAll("input[type=checkbox]").ShouldBeEmpty();
    }

    [Fact]
    public void YesNo_RendersInlineRadiosInFieldsetWithSmallLegend()
    {
        var cut = RenderForm(values: new Dictionary<string, string?> { ["independent"] = "no" });

        var group = cut.Find("#question-independent");
        group.QuerySelector("legend.govuk-fieldset__legend--s")!.TextContent.Trim().ShouldBe("Are coordinators independent?");
        group.QuerySelector(".govuk-radios")!.ClassList.ShouldContain("govuk-radios--inline");
        var radios = group.QuerySelectorAll("input.govuk-radios__input[type=radio]");
        radios.Select(r => r.GetAttribute("value")).ShouldBe(["yes", "no"]);
        radios[0].Id.ShouldBe("independent");
        radios[1].HasAttribute("checked").ShouldBeTrue();
    }

    [Fact]
    public void SingleChoice_WithNotRecorded_HasNotRecordedOptionCheckedForNull()
    {
        var cut = RenderForm(values: new Dictionary<string, string?> { ["model"] = null });

        var radios = cut.Find("#question-model").QuerySelectorAll("input[type=radio]");
        radios.Select(r => r.GetAttribute("value")).ShouldBe(["in_house", "commissioned", QuestionField.NotRecordedOptionValue]);
        cut.Find("#question-model").TextContent.ShouldContain("Not recorded");
        radios[2].HasAttribute("checked").ShouldBeTrue();
    }

    [Fact]
    public void ChoosingNotRecorded_RaisesNotRecorded()
    {
        var changes = new List<(string Key, StoredAnswer Answer)>();
        var cut = RenderForm(onAnswer: changes.Add);

        cut.Find("#question-model input[value='not-recorded']").Change("not-recorded");
        cut.Find("#referred-not-recorded").Change(true);

        changes.ShouldBe([("model", StoredAnswer.NotRecorded), ("referred", StoredAnswer.NotRecorded)]);
    }

    [Fact]
    public void ChangingAnswers_RaisesValueAsTypedAndUnansweredWhenCleared()
    {
        var changes = new List<(string Key, StoredAnswer Answer)>();
        var cut = RenderForm(values: new Dictionary<string, string?> { ["fte"] = "2" }, onAnswer: changes.Add);

        cut.Find("#referred").Change("37");
        cut.Find("#fte").Change("");
        cut.Find("#question-model input[value='commissioned']").Change("commissioned");
        cut.Find("#question-systems input[value='spreadsheet']").Change(true);
        cut.Find("#question-systems input[value='cms']").Change(true);
        cut.Find("textarea#notes").Change("Hello");

        changes.ShouldBe([
            ("referred", StoredAnswer.Of("37")),
            ("fte", StoredAnswer.Unanswered),
            ("model", StoredAnswer.Of("commissioned")),
            ("systems", StoredAnswer.Of("spreadsheet")),
            ("systems", StoredAnswer.Of("cms,spreadsheet")),
            ("notes", StoredAnswer.Of("Hello")),
        ]);
    }

    [Fact]
    public void MultipleChoice_RendersCheckboxesWithTickedValues()
    {
        var cut = RenderForm(values: new Dictionary<string, string?> { ["systems"] = "cms,spreadsheet" });

        var group = cut.Find("#question-systems");
        group.QuerySelector("legend.govuk-fieldset__legend--s")!.TextContent.Trim().ShouldBe("Where is data recorded?");
        var boxes = group.QuerySelectorAll("input.govuk-checkboxes__input[type=checkbox]");
        boxes.Count.ShouldBe(2);
        boxes[0].Id.ShouldBe("systems");
        boxes.All(b => b.HasAttribute("checked")).ShouldBeTrue();
    }

    [Fact]
    public void Text_RendersTextarea()
    {
        var cut = RenderForm(values: new Dictionary<string, string?> { ["notes"] = "Some words" });

        var textarea = cut.Find("#question-notes textarea.govuk-textarea");
        textarea.Id.ShouldBe("notes");
        textarea.GetAttribute("value").ShouldBe("Some words");
        cut.Find("#question-notes label[for=notes]").ClassList.ShouldContain("govuk-label--s");
    }

    [Fact]
    public void CountGrid_RendersFieldsetWithARowFieldPerRowAndTotalAgainstExpected()
    {
        var cut = RenderForm(values: new Dictionary<string, string?>
        {
            ["referred"] = "45",
            ["by_stage.early_help"] = "40",
            ["by_stage.child_protection"] = "2",
        });

        var fieldset = cut.Find("#question-by_stage fieldset.govuk-fieldset");
        fieldset.Id.ShouldBe("by_stage");
        fieldset.QuerySelector("legend")!.TextContent.Trim().ShouldBe("Children referred, by stage");
        fieldset.QuerySelector("input#by_stage-early_help")!.GetAttribute("value").ShouldBe("40");
        fieldset.QuerySelector("label[for=by_stage-early_help]")!.TextContent.Trim().ShouldBe("Early help");
        fieldset.QuerySelector("input#by_stage-child_protection-not-recorded").ShouldNotBeNull();
        var total = cut.Find("#by_stage-total");
        total.TextContent.ShouldContain("Total: 42 — must equal children referred: 45");
        total.ClassList.ShouldContain("govuk-error-message");
    }

    [Fact]
    public void CountGrid_TypingInACell_UpdatesTheTotalLiveWithoutSaving()
    {
        var changes = new List<(string Key, StoredAnswer Answer)>();
        var cut = RenderForm(values: new Dictionary<string, string?> { ["referred"] = "45", ["by_stage.early_help"] = "40" }, onAnswer: changes.Add);
        cut.Find("#by_stage-total").TextContent.ShouldContain("Total: 40");

        cut.Find("#by_stage-child_protection").Input("5");

        var total = cut.Find("#by_stage-total");
        total.TextContent.ShouldContain("Total: 45 — must equal children referred: 45");
        total.ClassList.ShouldNotContain("govuk-error-message");
        changes.ShouldBeEmpty();

        cut.Find("#by_stage-early_help").Input("1,000");

        cut.Find("#by_stage-total").TextContent.ShouldContain("Total: 1,005");
        cut.Find("#by_stage-total").ClassList.ShouldContain("govuk-error-message");
        cut.Find("#by_stage-total").TextContent.ShouldContain("do not match");

        cut.Find("#by_stage-early_help").Change("1,000");

        changes.ShouldBe([("by_stage.early_help", StoredAnswer.Of("1,000"))]);
    }

    [Fact]
    public void NewAnswersAfterASave_OneChanged_RendersOnlyThatQuestionAgain()
    {
        // Arrange: after every autosave the page passes a new dictionary of answers to every question.
        var values = new Dictionary<string, string?> { ["referred"] = "45", ["fte"] = "2", ["by_stage.early_help"] = "40" };
        var cut = RenderForm(values: values);
        var before = cut.FindComponents<QuestionField>().ToDictionary(q => q.Instance.Question.Key, q => q.RenderCount);

        // Act
        cut.Render(p => p.Add(f => f.Values, new Dictionary<string, string?>(values) { ["fte"] = "3" }));

        // Assert: only the changed question is drawn again, with the new answer.
        cut.FindComponents<QuestionField>().Where(q => q.RenderCount != before[q.Instance.Question.Key]).Select(q => q.Instance.Question.Key).ShouldBe(["fte"]);
        cut.Find("#fte").GetAttribute("value").ShouldBe("3");
    }

    [Fact]
    public void NewAnswersAfterASave_TotalAGridMustEqualChanged_RendersTheGridAgain()
    {
        // Arrange: the grid "by stage" must add up to children referred, a different question.
        var values = new Dictionary<string, string?> { ["referred"] = "45", ["by_stage.early_help"] = "40" };
        var cut = RenderForm(values: values);

        // Act
        cut.Render(p => p.Add(f => f.Values, new Dictionary<string, string?>(values) { ["referred"] = "40" }));

        // Assert
        cut.Find("#by_stage-total").TextContent.ShouldContain("must equal children referred: 40");
    }

    [Fact]
    public void NewIssuesAfterASave_ErrorOnAnUnchangedQuestion_ShowsBesideIt()
    {
        // Arrange
        var values = new Dictionary<string, string?> { ["referred"] = "2", ["fte"] = "1" };
        var cut = RenderForm(values: values);

        // Act: a save of fte made E01 true; referred itself did not change.
        cut.Render(p => p.Add(f => f.Values, new Dictionary<string, string?>(values) { ["fte"] = "3" })
            .Add(f => f.Issues, [new ValidationIssue("E01", Severity.Error, IssueKind.Rule, "Coordinators (3) cannot be more than children referred (2)", ["fte", "referred"])]));

        // Assert
        cut.Find("#question-referred").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("#question-referred").TextContent.ShouldContain("Coordinators (3) cannot be more than children referred (2)");
    }

    [Fact]
    public void ErrorIssue_ShowsInlineOnEveryItemOfTheRule()
    {
        ValidationIssue[] issues =
        [
            new("E01", Severity.Error, IssueKind.Rule, "Coordinators (3) cannot be more than children referred (2)", ["fte", "referred"]),
            new("FIELD-WHOLE", Severity.Error, IssueKind.Field, "Children referred, by stage: Early help must be a whole number, like 12", ["by_stage.early_help"]),
        ];

        var cut = RenderForm(issues: issues);

        foreach (var key in new[] { "fte", "referred" })
        {
            var group = cut.Find("#question-" + key);
            group.ClassList.ShouldContain("govuk-form-group--error");
            group.QuerySelector("#" + key + "-error")!.TextContent.ShouldContain("cannot be more than children referred");
            group.QuerySelector("input#" + key)!.ClassList.ShouldContain("govuk-input--error");
        }

        cut.Find("#question-by_stage").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("#by_stage-early_help-error").TextContent.ShouldContain("must be a whole number");
        cut.Find("#question-model").ClassList.ShouldNotContain("govuk-form-group--error");
    }

    [Fact]
    public void QueryIssue_ShowsMessageAndExplanationTextarea()
    {
        var explained = new List<(string RuleId, string Text)>();
        ValidationIssue[] issues = [new("Q01", Severity.Query, IssueKind.Rule, "No children were referred. Check the figures, or explain", ["referred"])];

        var cut = RenderForm(issues: issues, onExplanation: explained.Add);

        var group = cut.Find("#question-referred");
        group.ClassList.ShouldNotContain("govuk-form-group--error");
        group.QuerySelector(".govuk-inset-text")!.TextContent.ShouldContain("No children were referred");
        var textarea = cut.Find("textarea#explain-Q01");
        textarea.GetAttribute("value").ShouldBe("Service paused");
        cut.Find("label[for=explain-Q01]").TextContent.Trim().ShouldBe("Your explanation");
        group.QuerySelector(".govuk-tag")!.TextContent.ShouldBe("Check this");
        group.QuerySelector(".app-query__rule")!.TextContent.ShouldBe("(check Q01)");

        textarea.Change("The service was paused all year");

        explained.ShouldBe([("Q01", "The service was paused all year")]);
    }

    [Fact]
    public void QueryOnSeveralItems_IsShownOnceBesideTheFirstItem()
    {
        ValidationIssue[] issues = [new("Q02", Severity.Query, IssueKind.Rule, "The figures changed a lot since last year.", ["referred", "fte"])];

        var cut = RenderForm(issues: issues);

        cut.FindAll("textarea#explain-Q02").Count.ShouldBe(1);
        cut.Find("#question-referred textarea#explain-Q02").ShouldNotBeNull();
        cut.FindAll(".app-query").Count.ShouldBe(1);
        cut.Markup.Split("The figures changed a lot since last year.").Length.ShouldBe(2);
    }

    [Fact]
    public void ChoiceQuestions_EachHasItsOwnNameAndIds()
    {
        // Before: every radio was name="_choice" and every checkbox name="_ticked", so the browser made them one group.
        var cut = RenderForm();

        cut.FindAll("#question-independent input[type=radio]").ShouldAllBe(i => i.GetAttribute("name") == "independent");
        cut.FindAll("#question-model input[type=radio]").ShouldAllBe(i => i.GetAttribute("name") == "model");
        cut.FindAll("#question-systems input[type=checkbox]").ShouldAllBe(i => i.GetAttribute("name") == "systems");
        cut.Find("#question-notes textarea").GetAttribute("name").ShouldBe("notes");
        var ids = cut.FindAll("input, textarea").Select(e => e.Id).Where(id => !string.IsNullOrEmpty(id)).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public void NotSavedValue_ShowsItsErrorInlineAndKeepsTheText()
    {
        var cut = RenderForm();
        cut.Find("input#referred").Change("abc");

        cut.Render(p => p.Add(f => f.NotSaved, new Dictionary<string, string> { ["referred"] = "Children referred must be a whole number, like 12" }));

        cut.Find("#question-referred").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("#referred-error").TextContent.ShouldContain("Children referred must be a whole number, like 12");
        cut.Find("input#referred").GetAttribute("value").ShouldBe("abc");
    }

    [Fact]
    public void PreviousValues_ShowLastYearLines()
    {
        var cut = RenderForm(previous: new Dictionary<string, string?>
        {
            ["referred"] = "1234",
            ["model"] = "in_house",
            ["fte"] = null,
            ["by_stage.early_help"] = "37",
        });

        cut.Find("#referred-hint").TextContent.ShouldContain("Count each child once. Last year (2024-25): 1,234.");
        cut.Find("#question-model").TextContent.ShouldContain("Last year (2024-25): In-house.");
        cut.Find("#fte-hint").TextContent.ShouldContain("Last year (2024-25): not recorded.");
        cut.Find("#by_stage-early_help-hint").TextContent.ShouldContain("Last year (2024-25): 37.");
    }

    [Fact]
    public void ReadOnly_DisablesEveryInputAndRaisesNothing()
    {
        var changes = new List<(string Key, StoredAnswer Answer)>();
        ValidationIssue[] issues = [new("Q01", Severity.Query, IssueKind.Rule, "Check", ["referred"])];

        var cut = RenderForm(readOnly: true, issues: issues, onAnswer: changes.Add);

        var inputs = cut.FindAll("input, textarea, select");
        inputs.Count.ShouldBeGreaterThan(10);
        inputs.ShouldAllBe(i => i.HasAttribute("disabled"));
        cut.Find("#by_stage-early_help").Input("5");
        cut.Find("#by_stage-total").TextContent.ShouldContain("Total: 0");
        changes.ShouldBeEmpty();
    }
}
