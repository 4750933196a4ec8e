using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Sections, questions (including count grids and their totals) and mappings from earlier versions.</summary>
internal sealed partial class DefinitionFileParser
{
    private static readonly string[] SectionFields = ["key", "title", "description", "questions"];
    private static readonly string[] QuestionFields = ["key", "label", "hint", "guidance", "type", "not_recorded_allowed", "min", "max", "unit", "options", "rows", "columns", "total_of", "mapped_from"];
    private static readonly string[] OptionFields = ["value", "label"];
    private static readonly string[] MappingFields = ["version", "key"];

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
}
