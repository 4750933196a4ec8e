namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Published versions are immutable: their content hash must match the one the portal recorded.</summary>
public static class PublishedDefinitionGuard
{
    public static IReadOnlyList<DefinitionProblem> FindChangedPublished(
        IEnumerable<SurveyDefinition> loaded,
        IReadOnlyDictionary<(string SurveyId, string Version), string> recordedHashes)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(recordedHashes);
        var problems = new List<DefinitionProblem>();
        foreach (var definition in loaded.Where(d => d.Status == DefinitionStatus.Published))
        {
            if (recordedHashes.TryGetValue((definition.SurveyId, definition.Version), out var recorded)
                && !string.Equals(recorded, definition.ContentHash, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new DefinitionProblem(
                    definition.SourcePath,
                    1,
                    1,
                    $"Version {definition.Version} of '{definition.SurveyId}' is published, but this file has changed since it was published. Published versions cannot be changed: undo the change and make a new version instead."));
            }
        }

        return problems;
    }
}
