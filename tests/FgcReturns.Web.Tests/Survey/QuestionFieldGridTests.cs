using Bunit;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Web.Components.Survey;
using Microsoft.AspNetCore.Components;

namespace FgcReturns.Web.Tests.Survey;

/// <summary>A count grid with columns renders as a GOV.UK table of labelled inputs.</summary>
public sealed class QuestionFieldGridTests : BunitContext
{
    private const string Yaml = """
        survey_id: grid-survey
        version: "1.0"
        title: Grid survey
        status: draft
        period_type: financial_year
        changelog: First version.
        sections:
          - key: main
            title: Main
            questions:
              - key: by_age_sex
                label: Children by age and sex
                type: count_grid
                not_recorded_allowed: true
                rows:
                  - { value: under_5, label: Under 5 }
                  - { value: over_5, label: 5 and over }
                columns:
                  - { value: male, label: Male }
                  - { value: female, label: Female }
        """;

    private static readonly SurveyDefinition Definition =
        SurveyDefinitionLoader.LoadText("grid-survey/1.0.yaml", Yaml).Definitions.Single();

    public QuestionFieldGridTests() => SetRendererInfo(new RendererInfo("Server", true));

    [Fact]
    public void GridWithColumns_RendersTableWithHiddenLabelsAndLiveTotal()
    {
        var changes = new List<(string Key, StoredAnswer Answer)>();
        var question = Definition.Questions.Single();
        var cut = Render<QuestionField>(p => p
            .Add(x => x.Definition, Definition)
            .Add(x => x.Question, question)
            .Add(x => x.Values, new Dictionary<string, string?> { ["by_age_sex.under_5.male"] = "3", ["by_age_sex.over_5.female"] = null })
            .Add(x => x.OnAnswerChanged, changes.Add));

        cut.FindAll("table.govuk-table input.govuk-input").Count.ShouldBe(4);
        cut.Find("label[for=by_age_sex-under_5-female]").ClassList.ShouldContain("govuk-visually-hidden");
        cut.Find("label[for=by_age_sex-under_5-female]").TextContent.ShouldBe("Children by age and sex – Under 5, Female");
        cut.Find("#by_age_sex-over_5-female").GetAttribute("value").ShouldBe("NR");
        cut.Find("#by_age_sex-total").TextContent.ShouldContain("Total: 3");

        cut.Find("#by_age_sex-under_5-female").Input("4");
        cut.Find("#by_age_sex-total").TextContent.ShouldContain("Total: 7");

        cut.Find("#by_age_sex-over_5-male").Change("nr");
        changes.ShouldBe([("by_age_sex.over_5.male", StoredAnswer.NotRecorded)]);
    }
}
