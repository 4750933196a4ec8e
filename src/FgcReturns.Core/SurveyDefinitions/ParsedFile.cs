using YamlDotNet.Core;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>One file's outcome: its problems, the definition when it parsed, and the marks cross-file checks point at.</summary>
internal sealed class ParsedFile(string path)
{
    public string Path { get; } = path;
    public List<DefinitionProblem> Problems { get; } = [];
    public SurveyDefinition? Definition { get; set; }
    public Mark VersionMark { get; set; } = Mark.Empty;
    public Mark SurveyIdMark { get; set; } = Mark.Empty;
    public List<(ItemMapping Mapping, string Question, Mark Mark)> Mappings { get; } = [];

    public DefinitionProblem Problem(Mark mark, string message) =>
        new(Path, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message);
}
