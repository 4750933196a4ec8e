using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>
/// Reads one survey definition file and checks it, collecting every problem with its line and column.
/// The parts of the file are read by the other parts of this partial class, one file per concern.
/// </summary>
internal sealed partial class DefinitionFileParser(string path, string text)
{
    private static readonly string[] SurveyFields = ["survey_id", "version", "title", "status", "period_type", "changelog", "sections", "rules", "indicators", "tracker"];

    internal static readonly string[] Units = ["children", "families", "meetings", "fte", "days"];
    internal static readonly string[] PeriodTypes = ["financial_year"];

    private readonly ParsedFile _file = new(path);
    private readonly string[] _lines = text.Split('\n');
    private readonly Dictionary<string, (Question Question, Mark Mark)> _questions = new(StringComparer.Ordinal);
    private readonly List<(ItemMapping Mapping, string Question, Mark Mark)> _pendingMappings = [];
    private readonly Dictionary<string, Mark> _totalOfMarks = new(StringComparer.Ordinal);

    public ParsedFile Parse()
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                Add(Mark.Empty, "The file must contain a survey definition: fields such as survey_id, version and sections.");
                return _file;
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            Add(ex.Start, $"The file is not valid YAML: {TrimYamlMessage(message)}");
            return _file;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 18 throws this (with no position) for some unclosed brackets.
            Add(Mark.Empty, "The file is not valid YAML: check that every bracket [ { and quote is closed.");
            return _file;
        }

        CheckFields(root, SurveyFields, "a survey definition");
        var surveyId = RequiredText(root, "survey_id", "The survey definition");
        if (surveyId is not null && !SurveyIdOk(surveyId))
        {
            Add(Node(root, "survey_id")!.Start, $"The survey id '{surveyId}' must use lower-case letters, digits and hyphens, like fgc-annual.");
        }

        _file.SurveyIdMark = Node(root, "survey_id")?.Start ?? Mark.Empty;
        var version = RequiredText(root, "version", "The survey definition");
        var versionNode = Node(root, "version");
        _file.VersionMark = versionNode?.Start ?? Mark.Empty;
        var versionOk = false;
        if (version is not null)
        {
            versionOk = SemanticVersion.TryParse(version, out _);
            if (!versionOk)
            {
                Add(versionNode!.Start, $"The version '{version}' must be numbers separated by dots, like 1.0 or 1.0.1.");
            }
            else
            {
                var fileName = System.IO.Path.GetFileNameWithoutExtension(path);
                if (!string.Equals(fileName, version, StringComparison.Ordinal))
                {
                    Add(versionNode!.Start, $"The file name '{System.IO.Path.GetFileName(path)}' does not match the version '{version}': name the file {version}.yaml.");
                }
            }
        }

        var title = RequiredText(root, "title", "The survey definition");
        var status = Enum(root, "status", "The survey definition", ["draft", "published", "retired"], required: true);
        var periodType = Enum(root, "period_type", "The survey definition", PeriodTypes, required: true);
        var changelog = RequiredText(root, "changelog", "The survey definition");

        var sections = ParseSections(root);
        var lookup = (Func<string, Question?>)(key => _questions.TryGetValue(key, out var q) ? q.Question : null);
        CheckGrids();
        var indicators = ParseIndicators(root, lookup);
        var rules = ParseRules(root, lookup, indicators);
        var tracker = ParseTracker(root, lookup);
        ParseMappings(versionOk ? version : null);

        if (surveyId is not null && version is not null && versionOk && title is not null && status is not null && periodType is not null && changelog is not null)
        {
            _file.Definition = new SurveyDefinition(
                surveyId,
                version,
                status switch { "published" => DefinitionStatus.Published, "retired" => DefinitionStatus.Retired, _ => DefinitionStatus.Draft },
                title,
                periodType,
                changelog,
                sections,
                rules,
                indicators,
                SurveyDefinitionLoader.ComputeHash(text),
                path)
            {
                Tracker = tracker,
            };
        }

        return _file;
    }

    private static bool SurveyIdOk(string id) => id.Length > 0 && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string TrimYamlMessage(string message)
    {
        var index = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && index > 0 ? message[(index + 3)..] : message;
    }

    private void Add(Mark mark, string message) => _file.Problems.Add(_file.Problem(mark, message));

    private static string Lower(string what) => what.Length > 0 ? char.ToLowerInvariant(what[0]) + what[1..] : what;

    private static string ValueText(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
