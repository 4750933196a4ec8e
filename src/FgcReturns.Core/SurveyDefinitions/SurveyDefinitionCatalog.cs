namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>All survey definitions in a folder, loaded and checked once. Files with problems are left out.</summary>
public sealed class SurveyDefinitionCatalog
{
    public SurveyDefinitionCatalog(string definitionsPath)
        : this(SurveyDefinitionLoader.LoadFolder(definitionsPath))
    {
        DefinitionsPath = definitionsPath;
    }

    public SurveyDefinitionCatalog(DefinitionLoadResult loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        All = loaded.Definitions;
        Problems = loaded.Problems;
    }

    public string? DefinitionsPath { get; }

    /// <summary>Every valid definition, ordered by survey id then version.</summary>
    public IReadOnlyList<SurveyDefinition> All { get; }

    /// <summary>Problems found while loading (empty when every file is valid).</summary>
    public IReadOnlyList<DefinitionProblem> Problems { get; }

    public IEnumerable<string> SurveyIds => All.Select(d => d.SurveyId).Distinct(StringComparer.Ordinal);

    public IEnumerable<SurveyDefinition> Versions(string surveyId) => All.Where(d => d.SurveyId == surveyId);

    public SurveyDefinition? Get(string surveyId, string version) =>
        All.FirstOrDefault(d => d.SurveyId == surveyId && d.Version == version)
        ?? (SemanticVersion.TryParse(version, out var v)
            ? All.FirstOrDefault(d => d.SurveyId == surveyId && d.SemanticVersion.CompareTo(v) == 0)
            : null);

    /// <summary>The highest version of a survey; with <paramref name="publishedOnly"/>, the highest published one.</summary>
    public SurveyDefinition? Latest(string surveyId, bool publishedOnly = true) =>
        Versions(surveyId)
            .Where(d => !publishedOnly || d.Status == DefinitionStatus.Published)
            .MaxBy(d => d.SemanticVersion);
}
