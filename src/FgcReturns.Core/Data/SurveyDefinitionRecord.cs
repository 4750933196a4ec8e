namespace FgcReturns.Core.Data;

/// <summary>The content hash of a definition version as first seen, so published versions cannot change silently.</summary>
public sealed class SurveyDefinitionRecord
{
    public required string SurveyId { get; init; }
    public required string Version { get; init; }
    public required string ContentHash { get; set; }
    public required string Status { get; set; }
    public required string Title { get; set; }
    public required string SourceFile { get; set; }
    public DateTimeOffset FirstSeenAt { get; init; }
}
