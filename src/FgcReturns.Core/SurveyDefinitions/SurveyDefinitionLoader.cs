using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>
/// Loads survey definition YAML files and checks them. Every problem is returned (not only the first),
/// with the file, line and column it is about. A definition whose file has any problem is left out of
/// <see cref="DefinitionLoadResult.Definitions"/>, so the portal never uses a broken definition.
/// </summary>
public static partial class SurveyDefinitionLoader
{
    /// <summary>Loads every *.yaml (and *.yml) file under the folder, recursively, and checks them together.</summary>
    public static DefinitionLoadResult LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return new DefinitionLoadResult([], [new DefinitionProblem(folder, 0, 0, $"The folder '{folder}' does not exist.")]);
        }

        var files = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f)))
            .ToList();
        var schemaPath = Path.Combine(folder, DefinitionSchemaCheck.SchemaFileName);
        if (!File.Exists(schemaPath))
        {
            return LoadTexts(files);
        }

        // The editors' schema sits beside the surveys: every file must satisfy it as well as the checker.
        var (schema, schemaProblem) = DefinitionSchemaCheck.ReadSchema(schemaPath, File.ReadAllText(schemaPath));
        var schemaProblems = schema is null
            ? [schemaProblem!]
            : files.SelectMany(f => DefinitionSchemaCheck.Check(schema, f.f, Normalise(f.Item2))).ToList();
        return Load(files, crossFile: true, schemaProblems);
    }

    /// <summary>Loads and checks one file on its own (cross-version checks need <see cref="LoadFolder"/>).</summary>
    public static DefinitionLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LoadText(path, File.ReadAllText(path));
    }

    /// <summary>Loads and checks one file's text; <paramref name="path"/> is used for messages and the file-name check.</summary>
    public static DefinitionLoadResult LoadText(string path, string text) => Load([(path, text)], crossFile: false);

    /// <summary>Loads several files' text and checks them together, as <see cref="LoadFolder"/> does.</summary>
    public static DefinitionLoadResult LoadTexts(IEnumerable<(string Path, string Text)> files) => Load(files, crossFile: true);

    /// <summary>SHA-256 (lower-case hex) of the text as UTF-8, with line endings normalised to \n and no byte order mark.</summary>
    public static string ComputeHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = Normalise(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    private static string Normalise(string text) =>
        text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static DefinitionLoadResult Load(
        IEnumerable<(string Path, string Text)> files, bool crossFile, IReadOnlyList<DefinitionProblem>? schemaProblems = null)
    {
        var parsed = files.Select(f => new DefinitionFileParser(f.Path, Normalise(f.Text)).Parse()).ToList();
        var problems = parsed.SelectMany(p => p.Problems).ToList();
        problems.AddRange(schemaProblems ?? []);
        if (crossFile)
        {
            problems.AddRange(CrossFileChecks(parsed));
        }

        var failed = problems.Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        var definitions = parsed
            .Where(p => p.Definition is not null && !failed.Contains(p.Path))
            .Select(p => p.Definition!)
            .OrderBy(d => d.SurveyId, StringComparer.Ordinal)
            .ThenBy(d => d.SemanticVersion)
            .ToList();
        var ordered = problems
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line)
            .ThenBy(p => p.Column)
            .ToList();
        return new DefinitionLoadResult(definitions, ordered);
    }

    private static List<DefinitionProblem> CrossFileChecks(List<ParsedFile> parsed)
    {
        var problems = new List<DefinitionProblem>();
        var usable = parsed.Where(p => p.Definition is not null).ToList();

        // Survey id consistent within a folder.
        foreach (var folder in usable.GroupBy(p => Path.GetDirectoryName(p.Path) ?? "", StringComparer.Ordinal))
        {
            var first = folder.First();
            foreach (var other in folder.Skip(1).Where(o => o.Definition!.SurveyId != first.Definition!.SurveyId))
            {
                problems.Add(other.Problem(other.SurveyIdMark,
                    $"The survey id '{other.Definition!.SurveyId}' does not match '{first.Definition!.SurveyId}' in {Path.GetFileName(first.Path)}: every file in a folder must be a version of the same survey."));
            }
        }

        foreach (var survey in usable.GroupBy(p => p.Definition!.SurveyId, StringComparer.Ordinal))
        {
            var versions = survey.OrderBy(p => p.Definition!.SemanticVersion).ThenBy(p => p.Path, StringComparer.Ordinal).ToList();
            for (var i = 1; i < versions.Count; i++)
            {
                if (versions[i].Definition!.SemanticVersion.CompareTo(versions[i - 1].Definition!.SemanticVersion) == 0)
                {
                    problems.Add(versions[i].Problem(versions[i].VersionMark,
                        $"Version {versions[i].Definition!.Version} of '{survey.Key}' is defined twice: also in {versions[i - 1].Path}."));
                }
            }

            var published = versions.Where(v => v.Definition!.Status == DefinitionStatus.Published).ToList();
            if (published.Count > 0)
            {
                var latestPublished = published[^1].Definition!;
                foreach (var draft in versions.Where(v => v.Definition!.Status == DefinitionStatus.Draft
                             && v.Definition.SemanticVersion < latestPublished.SemanticVersion))
                {
                    problems.Add(draft.Problem(draft.VersionMark,
                        $"Version {draft.Definition!.Version} is a draft but version {latestPublished.Version} is already published: a new version must be higher than every published one."));
                }
            }

            foreach (var file in versions)
            {
                foreach (var (mapping, question, mark) in file.Mappings)
                {
                    var target = versions.FirstOrDefault(v => v.Definition!.Version == mapping.Version
                        || (SemanticVersion.TryParse(mapping.Version, out var mv) && v.Definition!.SemanticVersion.CompareTo(mv) == 0));
                    if (target is null)
                    {
                        problems.Add(file.Problem(mark,
                            $"Question '{question}' is mapped from version {mapping.Version}, but there is no version {mapping.Version} of '{survey.Key}'."));
                    }
                    else if (target.Definition!.FindQuestion(mapping.Key) is null)
                    {
                        problems.Add(file.Problem(mark,
                            $"Question '{question}' is mapped from '{mapping.Key}' in version {mapping.Version}, but version {mapping.Version} has no question '{mapping.Key}'."));
                    }
                }
            }
        }

        return problems;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    internal static partial Regex SnakeCase();

    [GeneratedRegex("^[A-Z][A-Z0-9]*[0-9]$")]
    internal static partial Regex RuleIdPattern();

    [GeneratedRegex(@"\{(?<prefix>label:|previous:)?(?<key>[^{}]*)\}")]
    internal static partial Regex Placeholder();
}

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

internal sealed partial class DefinitionFileParser(string path, string text)
{
    private static readonly string[] SurveyFields = ["survey_id", "version", "title", "status", "period_type", "changelog", "sections", "rules", "indicators", "tracker"];
    private static readonly string[] SectionFields = ["key", "title", "description", "questions"];
    private static readonly string[] QuestionFields = ["key", "label", "hint", "guidance", "type", "not_recorded_allowed", "min", "max", "unit", "options", "rows", "columns", "total_of", "mapped_from"];
    private static readonly string[] OptionFields = ["value", "label"];
    private static readonly string[] MappingFields = ["version", "key"];
    private static readonly string[] RuleFields = ["id", "severity", "assert", "message", "items", "when_not_recorded", "peer_range"];
    private static readonly string[] PeerRangeFields = ["measure", "name", "below_england_percentile", "above_england_percentile", "neighbour_median_times", "minimum_denominator"];
    private static readonly string[] IndicatorFields = ["key", "label", "numerator", "denominator", "multiplier", "unit", "higher_is"];

    internal static readonly string[] Units = ["children", "families", "meetings", "fte", "days"];
    internal static readonly string[] PeriodTypes = ["financial_year"];
    private static readonly decimal[] Multipliers = [1m, 100m, 10000m];

    private static readonly Dictionary<string, QuestionType> Types = new(StringComparer.Ordinal)
    {
        ["count"] = QuestionType.Count,
        ["decimal"] = QuestionType.Decimal,
        ["yes_no"] = QuestionType.YesNo,
        ["single_choice"] = QuestionType.SingleChoice,
        ["multiple_choice"] = QuestionType.MultipleChoice,
        ["text"] = QuestionType.Text,
        ["count_grid"] = QuestionType.CountGrid,
    };

    private readonly ParsedFile _file = new(path);
    private readonly string[] _lines = text.Split('\n');
    private readonly Dictionary<string, (Question Question, Mark Mark)> _questions = new(StringComparer.Ordinal);

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

    private List<Section> ParseSections(YamlMappingNode root)
    {
        var result = new List<Section>();
        var sectionsNode = Node(root, "sections");
        if (sectionsNode is null)
        {
            if (Has(root, "sections") is false)
            {
                Add(root.Start, "The survey definition has no 'sections': add at least one section with questions.");
            }

            return result;
        }

        if (sectionsNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Add(sectionsNode.Start, "'sections' must be a list of sections, each starting with '- key:'.");
            return result;
        }

        var sectionKeys = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in sequence.Children)
        {
            index++;
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, $"Section {index} must have fields such as key, title and questions.");
                continue;
            }

            var what = $"Section {index}";
            CheckFields(map, SectionFields, "a section");
            var key = RequiredKey(map, what);
            if (key is not null)
            {
                what = $"Section '{key}'";
                if (sectionKeys.TryGetValue(key, out var first))
                {
                    Add(Node(map, "key")!.Start, $"The section key '{key}' is used twice (first on line {first.Line}): section keys must be unique.");
                }
                else
                {
                    sectionKeys[key] = Node(map, "key")!.Start;
                }
            }

            var title = RequiredText(map, "title", what);
            var description = OptionalText(map, "description");
            var questions = ParseQuestions(map, what);
            if (key is not null && title is not null)
            {
                result.Add(new Section { Key = key, Title = title, Description = description, Questions = questions });
            }
        }

        return result;
    }

    private List<Question> ParseQuestions(YamlMappingNode section, string sectionWhat)
    {
        var result = new List<Question>();
        var node = Node(section, "questions");
        if (node is null)
        {
            Add(section.Start, $"{sectionWhat} has no 'questions': add at least one question.");
            return result;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Add(node.Start, $"'questions' in {Lower(sectionWhat)} must be a list of questions, each starting with '- key:'.");
            return result;
        }

        var index = 0;
        foreach (var item in sequence.Children)
        {
            index++;
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, $"Question {index} in {Lower(sectionWhat)} must have fields such as key, label and type.");
                continue;
            }

            var question = ParseQuestion(map, $"Question {index} in {Lower(sectionWhat)}");
            if (question is null)
            {
                continue;
            }

            var keyMark = Node(map, "key")!.Start;
            if (_questions.TryGetValue(question.Key, out var first))
            {
                Add(keyMark, $"The question key '{question.Key}' is used twice (first on line {first.Mark.Line}): question keys must be unique in the survey.");
                continue;
            }

            _questions[question.Key] = (question, keyMark);
            result.Add(question);
        }

        return result;
    }

    private Question? ParseQuestion(YamlMappingNode map, string what)
    {
        CheckFields(map, QuestionFields, "a question");
        var key = RequiredKey(map, what);
        if (key is not null)
        {
            what = $"Question '{key}'";
        }

        var label = RequiredText(map, "label", what);
        var typeText = Enum(map, "type", what, Types.Keys.ToArray(), required: true);
        var hint = OptionalText(map, "hint");
        var guidance = OptionalText(map, "guidance");
        var allowNotRecorded = Bool(map, "not_recorded_allowed") ?? false;
        var min = Number(map, "min");
        var max = Number(map, "max");
        var unit = Enum(map, "unit", what, Units, required: false);
        if (min is not null && max is not null && min > max)
        {
            Add(Node(map, "min")!.Start, $"{what} has 'min' ({ValueText(min.Value)}) greater than 'max' ({ValueText(max.Value)}).");
        }

        if (typeText is null || key is null || label is null)
        {
            return null;
        }

        var type = Types[typeText];
        var isChoice = type is QuestionType.SingleChoice or QuestionType.MultipleChoice;
        var options = Options(map, "options", what, required: isChoice);
        if (!isChoice && Node(map, "options") is { } optionsNode)
        {
            Add(optionsNode.Start, $"{what} is a {typeText} question, so it cannot have 'options'{(type == QuestionType.YesNo ? " (yes/no questions have the options yes and no)" : "")}.");
        }

        foreach (var field in new[] { "min", "max" })
        {
            if (type is not (QuestionType.Count or QuestionType.Decimal or QuestionType.CountGrid) && Node(map, field) is { } rangeNode)
            {
                Add(rangeNode.Start, $"{what} is a {typeText} question, so it cannot have '{field}'.");
            }
        }

        if (type == QuestionType.Count || type == QuestionType.CountGrid)
        {
            foreach (var field in new[] { "min", "max" })
            {
                var value = field == "min" ? min : max;
                if (value is not null && value != decimal.Truncate(value.Value))
                {
                    Add(Node(map, field)!.Start, $"{what} counts whole numbers, so '{field}' must be a whole number.");
                }
            }
        }

        GridDefinition? grid = null;
        if (type == QuestionType.CountGrid)
        {
            var rows = Options(map, "rows", what, required: true);
            var columns = Options(map, "columns", what, required: false);
            var totalOf = OptionalText(map, "total_of");
            if (totalOf is not null && !SurveyDefinitionLoader.SnakeCase().IsMatch(totalOf))
            {
                Add(Node(map, "total_of")!.Start, $"'total_of' in {Lower(what)} must be a question key, like referrals_children.");
            }

            grid = new GridDefinition(rows, columns, totalOf);
        }
        else
        {
            foreach (var field in new[] { "rows", "columns", "total_of" })
            {
                if (Node(map, field) is { } gridNode)
                {
                    Add(gridNode.Start, $"{what} is not a count_grid question, so it cannot have '{field}'.");
                }
            }
        }

        var mappings = new List<ItemMapping>();
        if (Node(map, "mapped_from") is { } mappedNode)
        {
            if (mappedNode is not YamlSequenceNode mappedList)
            {
                Add(mappedNode.Start, $"'mapped_from' in {Lower(what)} must be a list like [{{version: \"1.0\", key: old_key}}].");
            }
            else
            {
                foreach (var entry in mappedList.Children)
                {
                    if (entry is not YamlMappingNode entryMap)
                    {
                        Add(entry.Start, $"Each 'mapped_from' entry in {Lower(what)} needs a version and a key, like {{version: \"1.0\", key: old_key}}.");
                        continue;
                    }

                    CheckFields(entryMap, MappingFields, "a mapping");
                    var version = RequiredText(entryMap, "version", $"A 'mapped_from' entry in {Lower(what)}");
                    var oldKey = RequiredText(entryMap, "key", $"A 'mapped_from' entry in {Lower(what)}");
                    if (version is not null && oldKey is not null)
                    {
                        var mapping = new ItemMapping(version, oldKey);
                        mappings.Add(mapping);
                        var versionMark = Node(entryMap, "version")!.Start;
                        _file.Mappings.Add((mapping, key, versionMark));
                        _pendingMappings.Add((mapping, key, versionMark));
                    }
                }
            }
        }

        return new Question
        {
            Key = key,
            Label = label,
            Hint = hint,
            Guidance = guidance,
            Type = type,
            AllowNotRecorded = allowNotRecorded,
            Min = min,
            Max = max,
            Unit = unit,
            Options = options,
            Grid = grid,
            MappedFrom = mappings,
        };
    }

    private readonly List<(ItemMapping Mapping, string Question, Mark Mark)> _pendingMappings = [];

    private void ParseMappings(string? version)
    {
        if (version is null)
        {
            return;
        }

        var own = SemanticVersion.Parse(version);
        foreach (var (mapping, question, mark) in _pendingMappings)
        {
            if (!SemanticVersion.TryParse(mapping.Version, out var from))
            {
                Add(mark, $"Question '{question}' is mapped from version '{mapping.Version}', which is not a version like 1.0.");
            }
            else if (from >= own)
            {
                Add(mark, $"Question '{question}' is mapped from version {mapping.Version}, but a mapping must point to an earlier version than {version}.");
            }
        }
    }

    private void CheckGrids()
    {
        foreach (var (question, _) in _questions.Values)
        {
            if (question.Grid?.TotalOf is not { } totalOf || !SurveyDefinitionLoader.SnakeCase().IsMatch(totalOf))
            {
                continue;
            }

            var mark = _totalOfMarks.GetValueOrDefault(question.Key, Mark.Empty);
            if (!_questions.TryGetValue(totalOf, out var target))
            {
                Add(mark, $"The grid '{question.Key}' must add up to '{totalOf}', which is not a question in this survey.");
            }
            else if (target.Question.Type != QuestionType.Count)
            {
                Add(mark, $"The grid '{question.Key}' must add up to '{totalOf}', which is not a count question.");
            }
        }
    }

    private readonly Dictionary<string, Mark> _totalOfMarks = new(StringComparer.Ordinal);

    private List<ValidationRule> ParseRules(YamlMappingNode root, Func<string, Question?> lookup, IReadOnlyList<Indicator> indicators)
    {
        var result = new List<ValidationRule>();
        var node = Node(root, "rules");
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start, "'rules' must be a list of rules, each starting with '- id:'.");
            return result;
        }

        var ids = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in sequence.Children)
        {
            index++;
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, $"Rule {index} must have fields such as id, severity, assert and message.");
                continue;
            }

            CheckFields(map, RuleFields, "a rule");
            var what = $"Rule {index}";
            var id = RequiredText(map, "id", what);
            if (id is not null)
            {
                what = $"Rule {id}";
                var idMark = Node(map, "id")!.Start;
                if (!SurveyDefinitionLoader.RuleIdPattern().IsMatch(id))
                {
                    Add(idMark, $"The rule id '{id}' must be capital letters then digits, like E01 or Q01.");
                }
                else if (ids.TryGetValue(id, out var first))
                {
                    Add(idMark, $"The rule id '{id}' is used twice (first on line {first.Line}): rule ids must be unique.");
                }
                else
                {
                    ids[id] = idMark;
                }
            }

            var severity = Enum(map, "severity", what, ["error", "query"], required: true);
            if (Has(map, "peer_range") is true)
            {
                if (ParsePeerRule(map, what, id, severity, lookup, indicators) is { } peerRule)
                {
                    result.Add(peerRule);
                }

                continue;
            }

            var assert = RequiredText(map, "assert", what);
            var message = RequiredText(map, "message", what);
            var whenNotRecorded = Enum(map, "when_not_recorded", what, ["skip", "evaluate"], required: false);
            var items = TextList(map, "items", what);

            Expression? expression = null;
            if (assert is not null)
            {
                var assertNode = (YamlScalarNode)Node(map, "assert")!;
                if (!Expression.TryParse(assert, out expression, out var syntaxError))
                {
                    Add(Locate(assertNode, syntaxError!.Offset), $"{what} has a mistake in its 'assert' expression: {syntaxError.Message}");
                }
                else
                {
                    foreach (var error in expression!.TypeCheck(lookup))
                    {
                        var joiner = error.Message.StartsWith("refers to", StringComparison.Ordinal) ? " " : ": ";
                        Add(Locate(assertNode, error.Offset), what + joiner + error.Message);
                    }
                }
            }

            if (items is not null)
            {
                foreach (var (itemKey, mark) in items)
                {
                    if (lookup(itemKey) is null)
                    {
                        Add(mark, $"{what} lists '{itemKey}' in 'items', which is not a question in this survey.");
                    }
                }
            }

            if (message is not null)
            {
                var messageNode = (YamlScalarNode)Node(map, "message")!;
                foreach (Match match in SurveyDefinitionLoader.Placeholder().Matches(message))
                {
                    var key = match.Groups["key"].Value;
                    if (ItemTarget.Resolve(key, lookup, out _) is null)
                    {
                        Add(Locate(messageNode, match.Index),
                            $"{what} has '{{{match.Groups["prefix"].Value}{key}}}' in its message, but '{key}' is not a question in this survey.");
                    }
                }
            }

            if (id is not null && severity is not null && assert is not null && message is not null && expression is not null)
            {
                result.Add(new ValidationRule
                {
                    Id = id,
                    Severity = severity == "query" ? Severity.Query : Severity.Error,
                    Assert = assert,
                    Message = message,
                    ItemKeys = items?.Select(i => i.Key).ToList() ?? [.. expression.ReferencedKeys],
                    WhenNotRecorded = whenNotRecorded == "evaluate" ? NotRecordedHandling.Evaluate : NotRecordedHandling.Skip,
                    Expression = expression,
                });
            }
        }

        return result;
    }

    /// <summary>
    /// A <c>peer_range</c> rule: a query against the latest final benchmark of an indicator (a rate, computed from the
    /// LA's own numerator and denominator) or a decimal question. Counts are refused: sizes differ, so they compare
    /// through an indicator per 10,000 children. The engine writes the plain-words message itself.
    /// </summary>
    private ValidationRule? ParsePeerRule(YamlMappingNode map, string what, string? id, string? severity, Func<string, Question?> lookup, IReadOnlyList<Indicator> indicators)
    {
        foreach (var field in new[] { "assert", "message", "items", "when_not_recorded" })
        {
            if (Has(map, field) is true)
            {
                Add(Node(map, field)?.Start ?? map.Start, $"{what} is a peer_range rule, so it has no '{field}': it writes its own message from the benchmark figures.");
            }
        }

        if (severity == "error")
        {
            Add(Node(map, "severity")!.Start, $"{what} is a peer_range rule, which raises a query, never an error: use 'severity: query'.");
        }

        if (Node(map, "peer_range") is not YamlMappingNode peer)
        {
            Add(Node(map, "peer_range")?.Start ?? map.Start, $"{what} has a 'peer_range' that is not a group of fields: give measure, name and at least one band, like below_england_percentile: 5.");
            return null;
        }

        CheckFields(peer, PeerRangeFields, "a peer_range");
        var measure = RequiredText(peer, "measure", $"The peer_range of {Lower(what)}");
        var name = RequiredText(peer, "name", $"The peer_range of {Lower(what)}");
        var below = Percentile(peer, "below_england_percentile", what);
        var above = Percentile(peer, "above_england_percentile", what);
        var times = Number(peer, "neighbour_median_times");
        var minimum = Number(peer, "minimum_denominator");
        var ok = measure is not null && name is not null;
        if (below is null && above is null && times is null && Has(peer, "below_england_percentile") is not true
            && Has(peer, "above_england_percentile") is not true && Has(peer, "neighbour_median_times") is not true)
        {
            Add(peer.Start, $"{what} has no band: give below_england_percentile, above_england_percentile or neighbour_median_times.");
            ok = false;
        }

        if (below is not null && above is not null && below >= above)
        {
            Add(Node(peer, "above_england_percentile")!.Start, $"{what} has above_england_percentile {above}, which must be higher than below_england_percentile {below}.");
            ok = false;
        }

        if (times is not null && times <= 1m)
        {
            Add(Node(peer, "neighbour_median_times")!.Start, $"{what} has neighbour_median_times {ValueText(times.Value)}: it must be more than 1, like 2 for twice or half the neighbours' median.");
            ok = false;
        }

        if (minimum is not null && minimum < 0m)
        {
            Add(Node(peer, "minimum_denominator")!.Start, $"{what} has minimum_denominator {ValueText(minimum.Value)}: it must be 0 or more.");
            ok = false;
        }

        IReadOnlyList<string> operands = [];
        if (measure is not null)
        {
            var mark = Node(peer, "measure")!.Start;
            if (indicators.FirstOrDefault(i => i.Key == measure) is { } indicator)
            {
                operands = indicator.Denominator == Indicator.Population0To17 ? [indicator.Numerator] : [indicator.Numerator, indicator.Denominator];
            }
            else if (lookup(measure) is { } question)
            {
                if (question.Type == QuestionType.Count)
                {
                    Add(mark, $"{what} compares '{measure}', a count: local authorities differ in size, so compare an indicator instead (a rate, or per 10,000 children).");
                    ok = false;
                }
                else if (question.Type != QuestionType.Decimal)
                {
                    Add(mark, $"{what} compares '{measure}', which is not a number: use an indicator or a decimal question.");
                    ok = false;
                }
                else
                {
                    operands = [measure];
                }
            }
            else
            {
                Add(mark, $"{what} compares '{measure}', which is not an indicator or a question in this survey.");
                ok = false;
            }
        }

        if (!ok || id is null || severity is not "query")
        {
            return null;
        }

        var range = new PeerRange(measure!, name!, below, above, times, minimum ?? 0m, operands);
        return new ValidationRule
        {
            Id = id,
            Severity = Severity.Query,
            Assert = range.Describe(),
            Message = PeerRangeMessage(range),
            ItemKeys = operands,
            PeerRange = range,
        };
    }

    /// <summary>The shape of the message the engine writes, for the preview and the data specification workbook.</summary>
    private static string PeerRangeMessage(PeerRange range)
    {
        var messages = new List<string>();
        if (range.LowerPercentile is { } lower)
        {
            messages.Add(string.Create(CultureInfo.InvariantCulture, $"Your {range.Name}, [value], is lower than {100 - lower}% of local authorities last year (England median [median])."));
        }

        if (range.UpperPercentile is { } upper)
        {
            messages.Add(string.Create(CultureInfo.InvariantCulture, $"Your {range.Name}, [value], is higher than {upper}% of local authorities last year (England median [median])."));
        }

        if (range.NeighbourMedianTimes is not null)
        {
            messages.Add($"Your {range.Name}, [value], is [more than N times / less than 1/N of] the median of your statistical neighbours last year ([median]).");
        }

        return string.Join(" Or: ", messages) + " Check the figures, or explain why.";
    }

    private int? Percentile(YamlMappingNode map, string field, string what)
    {
        var value = Number(map, field);
        if (value is null)
        {
            return null;
        }

        if (value != decimal.Truncate(value.Value) || value < 1m || value > 99m)
        {
            Add(Node(map, field)!.Start, $"{what} has {field} {ValueText(value.Value)}: it must be a whole number from 1 to 99.");
            return null;
        }

        return (int)value.Value;
    }

    private List<Indicator> ParseIndicators(YamlMappingNode root, Func<string, Question?> lookup)
    {
        var result = new List<Indicator>();
        var node = Node(root, "indicators");
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start, "'indicators' must be a list of indicators, each starting with '- key:'.");
            return result;
        }

        var keys = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in sequence.Children)
        {
            index++;
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, $"Indicator {index} must have fields such as key, label, numerator and denominator.");
                continue;
            }

            CheckFields(map, IndicatorFields, "an indicator");
            var what = $"Indicator {index}";
            var key = RequiredKey(map, what);
            if (key is not null)
            {
                what = $"Indicator '{key}'";
                var keyMark = Node(map, "key")!.Start;
                if (keys.TryGetValue(key, out var first))
                {
                    Add(keyMark, $"The indicator key '{key}' is used twice (first on line {first.Line}): indicator keys must be unique.");
                }
                else
                {
                    keys[key] = keyMark;
                }
            }

            var label = RequiredText(map, "label", what);
            var numerator = RequiredText(map, "numerator", what);
            var denominator = RequiredText(map, "denominator", what);
            var multiplier = Number(map, "multiplier");
            var unit = RequiredText(map, "unit", what);
            var higherIs = Enum(map, "higher_is", what, ["better", "worse", "neither"], required: true);
            if (Node(map, "multiplier") is null && Has(map, "multiplier") is false)
            {
                Add(map.Start, $"{what} has no 'multiplier': use 100 for a percentage, 10000 for a rate per 10,000, or 1.");
            }
            else if (multiplier is not null && !Multipliers.Contains(multiplier.Value))
            {
                Add(Node(map, "multiplier")!.Start, $"{what} has multiplier {ValueText(multiplier.Value)}: use 100 for a percentage, 10000 for a rate per 10,000, or 1.");
            }

            if (numerator is not null)
            {
                CheckIndicatorItem(what, "numerator", numerator, Node(map, "numerator")!.Start, lookup, allowPopulation: false);
            }

            if (denominator is not null)
            {
                CheckIndicatorItem(what, "denominator", denominator, Node(map, "denominator")!.Start, lookup, allowPopulation: true);
            }

            if (key is not null && label is not null && numerator is not null && denominator is not null && multiplier is not null && unit is not null && higherIs is not null)
            {
                result.Add(new Indicator
                {
                    Key = key,
                    Label = label,
                    Numerator = numerator,
                    Denominator = denominator,
                    Multiplier = multiplier.Value,
                    Unit = unit,
                    HigherIs = higherIs switch { "better" => HigherIs.Better, "worse" => HigherIs.Worse, _ => HigherIs.Neither },
                });
            }
        }

        return result;
    }

    private void CheckIndicatorItem(string what, string field, string key, Mark mark, Func<string, Question?> lookup, bool allowPopulation)
    {
        if (allowPopulation && key == Indicator.Population0To17)
        {
            return;
        }

        var question = lookup(key);
        if (question is null)
        {
            Add(mark, $"{what} has '{key}' as its {field}, which is not a question in this survey{(allowPopulation ? " (or population_0_17)" : "")}.");
        }
        else if (!question.IsNumeric)
        {
            Add(mark, $"{what} has '{key}' as its {field}, but '{key}' is not a number question (count or decimal).");
        }
    }

    // ---- position of text inside a scalar ----------------------------------------------------

    /// <summary>Line and column (1-based) of the character at <paramref name="offset"/> in the scalar's value.</summary>
    private Mark Locate(YamlScalarNode node, int offset)
    {
        var line = (int)node.Start.Line - 1;
        var column = (int)node.Start.Column - 1;
        var value = node.Value ?? "";
        var style = node.Style;
        if (style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            line++;
            while (line < _lines.Length && _lines[line].Trim().Length == 0)
            {
                line++;
            }

            column = line < _lines.Length ? Indent(_lines[line]) : 0;
        }
        else if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            column++;
        }

        for (var i = 0; i < offset && i < value.Length && line < _lines.Length; i++)
        {
            var raw = _lines[line];
            var rest = column < raw.Length ? raw[column..] : "";
            if ((value[i] is ' ' or '\n') && (rest.Trim().Length == 0 || (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && rest.Trim() is "'" or "\"")) && line + 1 < _lines.Length && rest.TrimStart() is not ['\'', '\'', ..])
            {
                if (rest.Length > 0 && rest[0] == ' ' && rest.Trim().Length > 0)
                {
                    column++;
                    continue;
                }

                line++;
                column = Indent(_lines[line]);
                continue;
            }

            if (style == ScalarStyle.SingleQuoted && rest.StartsWith("''", StringComparison.Ordinal))
            {
                column += 2;
            }
            else if (style == ScalarStyle.DoubleQuoted && rest.StartsWith('\\'))
            {
                column += 2;
            }
            else
            {
                column++;
            }
        }

        return new Mark(0, line + 1, column + 1);
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    // ---- field helpers -----------------------------------------------------------------------

    private void Add(Mark mark, string message) => _file.Problems.Add(_file.Problem(mark, message));

    private static string Lower(string what) => what.Length > 0 ? char.ToLowerInvariant(what[0]) + what[1..] : what;

    private static string ValueText(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static YamlNode? Node(YamlMappingNode map, string field)
    {
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value == field)
            {
                return value is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" } ? null : value;
            }
        }

        return null;
    }

    private static bool? Has(YamlMappingNode map, string field) =>
        map.Children.Keys.Any(k => k is YamlScalarNode s && s.Value == field);

    private void CheckFields(YamlMappingNode map, string[] allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode scalar || scalar.Value is null)
            {
                Add(key.Start, $"Field names in {what} must be plain words.");
                continue;
            }

            if (!allowed.Contains(scalar.Value))
            {
                var suggestion = allowed.OrderBy(a => Distance(a, scalar.Value)).First();
                var hint = Distance(suggestion, scalar.Value) <= 2 ? $" Did you mean '{suggestion}'?" : $" The fields are: {string.Join(", ", allowed)}.";
                Add(scalar.Start, $"'{scalar.Value}' is not a field of {what}.{hint}");
            }
        }

        if (allowed == QuestionFields && Node(map, "total_of") is { } totalOf && Node(map, "key") is YamlScalarNode { Value: { } qkey })
        {
            _totalOfMarks[qkey] = totalOf.Start;
        }
    }

    private string? RequiredText(YamlMappingNode map, string field, string what)
    {
        var node = Node(map, field);
        if (node is null)
        {
            Add(map.Start, Has(map, field) is true
                ? $"{what} has an empty '{field}': fill it in."
                : $"{what} has no '{field}': add it.");
            return null;
        }

        return Scalar(node, field);
    }

    private string? RequiredKey(YamlMappingNode map, string what)
    {
        var key = RequiredText(map, "key", what);
        if (key is not null && !SurveyDefinitionLoader.SnakeCase().IsMatch(key))
        {
            Add(Node(map, "key")!.Start, $"The key '{key}' must be snake_case: lower-case letters, digits and underscores, starting with a letter.");
            return null;
        }

        return key;
    }

    private string? OptionalText(YamlMappingNode map, string field)
    {
        var node = Node(map, field);
        return node is null ? null : Scalar(node, field);
    }

    private string? Scalar(YamlNode node, string field)
    {
        if (node is not YamlScalarNode scalar)
        {
            Add(node.Start, $"'{field}' must be a single value, not a list or a group of fields.");
            return null;
        }

        var value = scalar.Value?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private string? Enum(YamlMappingNode map, string field, string what, string[] allowed, bool required)
    {
        var text = required ? RequiredText(map, field, what) : OptionalText(map, field);
        if (text is null)
        {
            return null;
        }

        if (!allowed.Contains(text))
        {
            Add(Node(map, field)!.Start, $"{what} has '{field}: {text}', which is not allowed. Use one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return text;
    }

    private bool? Bool(YamlMappingNode map, string field)
    {
        var text = OptionalText(map, field);
        if (text is null)
        {
            return null;
        }

        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Add(Node(map, field)!.Start, $"'{field}' must be true or false, not '{text}'.");
        return null;
    }

    private decimal? Number(YamlMappingNode map, string field)
    {
        var text = OptionalText(map, field);
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(Node(map, field)!.Start, $"'{field}' must be a number, like 100, not '{text}'.");
        return null;
    }

    private List<(string Key, Mark Mark)>? TextList(YamlMappingNode map, string field, string what)
    {
        var node = Node(map, field);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start, $"'{field}' in {Lower(what)} must be a list, like [families_offered, families_accepted].");
            return null;
        }

        var result = new List<(string, Mark)>();
        foreach (var child in sequence.Children)
        {
            if (Scalar(child, field) is { } text)
            {
                result.Add((text, child.Start));
            }
        }

        return result;
    }

    private List<ChoiceOption> Options(YamlMappingNode map, string field, string what, bool required)
    {
        var result = new List<ChoiceOption>();
        var node = Node(map, field);
        if (node is null)
        {
            if (required)
            {
                Add(map.Start, $"{what} has no '{field}': add a list of {field}, each with a value and a label.");
            }

            return result;
        }

        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Add(node.Start, $"'{field}' in {Lower(what)} must be a list, each with a value and a label.");
            return result;
        }

        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        foreach (var child in sequence.Children)
        {
            if (child is not YamlMappingNode option)
            {
                Add(child.Start, $"Each of the {field} in {Lower(what)} needs a value and a label, like {{value: in_house, label: In-house}}.");
                continue;
            }

            CheckFields(option, OptionFields, "an option");
            var value = RequiredText(option, "value", $"An option in {Lower(what)}");
            var label = RequiredText(option, "label", $"An option in {Lower(what)}");
            if (value is null || label is null)
            {
                continue;
            }

            var valueMark = Node(option, "value")!.Start;
            if (!SurveyDefinitionLoader.SnakeCase().IsMatch(value))
            {
                Add(valueMark, $"The value '{value}' in {Lower(what)} must be snake_case: lower-case letters, digits and underscores.");
                continue;
            }

            if (seen.TryGetValue(value, out var first))
            {
                Add(valueMark, $"The value '{value}' is used twice in the {field} of {Lower(what)} (first on line {first.Line}): values must be unique.");
                continue;
            }

            seen[value] = valueMark;
            result.Add(new ChoiceOption(value, label));
        }

        return result;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
