using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

/// <summary>The real definitions in survey-definitions/, loaded once; and a small valid definition for focused tests.</summary>
internal static class TestDefinitions
{
    private static readonly Lazy<DefinitionLoadResult> Real = new(() => SurveyDefinitionLoader.LoadFolder(DefinitionsFolder));

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DefinitionsFolder => Path.Combine(RepoRoot, "survey-definitions");

    public static DefinitionLoadResult RealResult => Real.Value;

    public static SurveyDefinition Fgc10 => Real.Value.Definitions.Single(d => d.Version == "1.0");

    public static SurveyDefinition Fgc11 => Real.Value.Definitions.Single(d => d.Version == "1.1");

    /// <summary>A small valid definition; line numbers are relied on by the loader tests.</summary>
    public const string Small = """
        survey_id: test-survey
        version: "1.0"
        title: Test survey
        status: published
        period_type: financial_year
        changelog: First version.
        sections:
          - key: main
            title: Main
            questions:
              - key: offered
                label: Families offered
                type: count
                max: 5000
              - key: accepted
                label: Families accepted
                type: count
                not_recorded_allowed: true
              - key: model
                label: Service model
                type: single_choice
                options:
                  - { value: in_house, label: In-house }
                  - { value: no_service, label: No service }
              - key: by_stage
                label: By stage
                type: count_grid
                total_of: offered
                not_recorded_allowed: true
                rows:
                  - { value: early, label: Early }
                  - { value: late, label: Late }
              - key: systems
                label: Systems
                type: multiple_choice
                options:
                  - { value: cms, label: CMS }
                  - { value: sheet, label: Spreadsheet }
              - key: fte
                label: Coordinators
                type: decimal
                not_recorded_allowed: true
        rules:
          - id: E01
            severity: error
            assert: accepted <= offered
            message: Accepted ({accepted}) cannot be more than offered ({offered})
        indicators:
          - { key: rate, label: Rate, numerator: accepted, denominator: offered, multiplier: 100, unit: "%", higher_is: better }
        """;

    public const string SmallPath = "test-survey/1.0.yaml";

    public static SurveyDefinition LoadSmall(string? text = null)
    {
        var result = SurveyDefinitionLoader.LoadText(SmallPath, text ?? Small);
        result.Problems.ShouldBeEmpty();
        return result.Definitions.Single();
    }

    /// <summary>The small definition with extra rules appended (each a YAML list item under 'rules:').</summary>
    public static SurveyDefinition SmallWithRules(string rulesYaml)
    {
        var text = Small.Replace("indicators:", rulesYaml.TrimEnd() + "\nindicators:", StringComparison.Ordinal);
        return LoadSmall(text);
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FgcReturns.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Could not find FgcReturns.sln above " + AppContext.BaseDirectory);
    }
}
