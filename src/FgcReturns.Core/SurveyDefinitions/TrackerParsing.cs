using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>The <c>tracker</c> block: the case-level tracker's columns and the derivation rules of the items it gives.</summary>
internal sealed partial class DefinitionFileParser
{
    private static readonly string[] TrackerFields = ["family_key", "bank_holidays", "columns", "derive"];
    private static readonly string[] TrackerColumnFields = ["key", "label", "type", "required", "hint", "options", "options_from", "not_before", "needs"];
    private static readonly string[] DerivationFields = ["count", "sum", "median_working_days", "in_period", "where", "unless_family", "by"];

    private static readonly Dictionary<string, TrackerColumnType> ColumnTypes = new(StringComparer.Ordinal)
    {
        ["reference"] = TrackerColumnType.Reference,
        ["date"] = TrackerColumnType.Date,
        ["count"] = TrackerColumnType.Count,
        ["choice"] = TrackerColumnType.Choice,
        ["yes_no"] = TrackerColumnType.YesNo,
    };

    private TrackerSpec? ParseTracker(YamlMappingNode root, Func<string, Question?> lookup)
    {
        if (Node(root, "tracker") is not { } node)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            Add(node.Start, "'tracker' must be a group of fields: family_key, columns, derive and bank_holidays.");
            return null;
        }

        CheckFields(map, TrackerFields, "the tracker");
        var problemsBefore = _file.Problems.Count;
        var columns = ParseTrackerColumns(map, lookup);
        var familyKey = RequiredText(map, "family_key", "The tracker");
        if (familyKey is not null && columns.FirstOrDefault(c => c.Key == familyKey) is not { Type: TrackerColumnType.Reference })
        {
            Add(Node(map, "family_key")!.Start, $"The tracker's family_key '{familyKey}' must be one of its columns of type reference.");
        }

        var holidays = new HashSet<DateOnly>();
        foreach (var (text, mark) in TextList(map, "bank_holidays", "The tracker") ?? [])
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                holidays.Add(day);
            }
            else
            {
                Add(mark, $"The bank holiday '{text}' must be a date like 2025-12-25.");
            }
        }

        var spec = new TrackerSpec { FamilyKey = familyKey ?? "", Columns = columns, Derivations = [], BankHolidays = holidays };
        var derivations = ParseDerivations(map, spec, lookup);
        return _file.Problems.Count > problemsBefore || familyKey is null
            ? null
            : new TrackerSpec { FamilyKey = familyKey, Columns = columns, Derivations = derivations, BankHolidays = holidays };
    }

    private List<TrackerColumn> ParseTrackerColumns(YamlMappingNode tracker, Func<string, Question?> lookup)
    {
        var result = new List<TrackerColumn>();
        if (Node(tracker, "columns") is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            Add(Node(tracker, "columns")?.Start ?? tracker.Start, "The tracker needs 'columns': a list of columns, each with a key, label and type.");
            return result;
        }

        var pending = new List<(YamlMappingNode Map, TrackerColumn Column)>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, "Each tracker column needs a key, a label and a type.");
                continue;
            }

            CheckFields(map, TrackerColumnFields, "a tracker column");
            var key = RequiredKey(map, "A tracker column");
            var what = key is null ? "A tracker column" : $"Tracker column '{key}'";
            var label = RequiredText(map, "label", what);
            var typeText = Enum(map, "type", what, [.. ColumnTypes.Keys], required: true);
            if (key is null || label is null || typeText is null)
            {
                continue;
            }

            if (result.Any(c => c.Key == key))
            {
                Add(Node(map, "key")!.Start, $"The tracker column key '{key}' is used twice: keys must be unique.");
                continue;
            }

            var type = ColumnTypes[typeText];
            var options = new List<ChoiceOption>();
            if (type == TrackerColumnType.Choice)
            {
                if (OptionalText(map, "options_from") is { } from)
                {
                    if (lookup(from)?.Grid is { } grid)
                    {
                        options.AddRange(grid.Rows);
                    }
                    else
                    {
                        Add(Node(map, "options_from")!.Start, $"{what} takes its options from '{from}', which is not a grid question in this survey.");
                    }
                }
                else
                {
                    options.AddRange(Options(map, "options", what, required: true));
                }
            }
            else if (Node(map, "options") is not null || Node(map, "options_from") is not null)
            {
                Add(map.Start, $"{what} has options, but only a choice column has options.");
            }

            var column = new TrackerColumn(key, label, type, Bool(map, "required") ?? false, OptionalText(map, "hint"), options, OptionalText(map, "not_before"), OptionalText(map, "needs"));
            result.Add(column);
            pending.Add((map, column));
        }

        foreach (var (map, column) in pending)
        {
            if (column.NotBefore is { } before && result.FirstOrDefault(c => c.Key == before) is not { Type: TrackerColumnType.Date })
            {
                Add(Node(map, "not_before")!.Start, $"Tracker column '{column.Key}' has not_before '{before}', which is not a date column of the tracker.");
            }
            else if (column.NotBefore is not null && column.Type != TrackerColumnType.Date)
            {
                Add(Node(map, "not_before")!.Start, $"Tracker column '{column.Key}' has not_before, but only a date column can.");
            }

            if (column.Needs is { } needs && result.All(c => c.Key != needs))
            {
                Add(Node(map, "needs")!.Start, $"Tracker column '{column.Key}' needs '{needs}', which is not a column of the tracker.");
            }
        }

        return result;
    }

    private List<Derivation> ParseDerivations(YamlMappingNode tracker, TrackerSpec spec, Func<string, Question?> lookup)
    {
        var result = new List<Derivation>();
        if (Node(tracker, "derive") is not { } node)
        {
            return result;
        }

        if (node is not YamlMappingNode items)
        {
            Add(node.Start, "'derive' must map item keys to how each is computed, like 'referrals_families: { count: families, in_period: referral_date }'.");
            return result;
        }

        foreach (var (keyNode, value) in items.Children)
        {
            var itemKey = (keyNode as YamlScalarNode)?.Value ?? "";
            var what = $"The derivation of '{itemKey}'";
            if (lookup(itemKey) is not { } question)
            {
                Add(keyNode.Start, $"'{itemKey}' in derive is not a question in this survey.");
                continue;
            }

            if (value is not YamlMappingNode map)
            {
                Add(value.Start, $"{what} must be a group of fields, like {{ count: families, in_period: referral_date }}.");
                continue;
            }

            CheckFields(map, DerivationFields, "a derivation");
            var before = _file.Problems.Count;
            var kinds = new[] { "count", "sum", "median_working_days" }.Where(k => Node(map, k) is not null).ToList();
            if (kinds.Count != 1)
            {
                Add(map.Start, $"{what} must have exactly one of count, sum or median_working_days.");
                continue;
            }

            var inPeriod = RequiredText(map, "in_period", what);
            CheckTrackerColumn(map, "in_period", inPeriod, spec, what, TrackerColumnType.Date);
            string? sumColumn = null, from = null, to = null;
            var kind = kinds[0] switch { "count" => DerivationKind.CountFamilies, "sum" => DerivationKind.Sum, _ => DerivationKind.MedianWorkingDays };
            switch (kind)
            {
                case DerivationKind.CountFamilies:
                    if (OptionalText(map, "count") != "families")
                    {
                        Add(Node(map, "count")!.Start, $"{what}: 'count' must be 'families' (each family counts once).");
                    }

                    break;
                case DerivationKind.Sum:
                    sumColumn = OptionalText(map, "sum");
                    CheckTrackerColumn(map, "sum", sumColumn, spec, what, TrackerColumnType.Count);
                    break;
                default:
                    var dates = TextList(map, "median_working_days", what);
                    if (dates is not { Count: 2 })
                    {
                        Add(Node(map, "median_working_days")!.Start, $"{what}: median_working_days needs two date columns, like [referral_date, initial_fgc_date].");
                    }
                    else
                    {
                        (from, to) = (dates[0].Key, dates[1].Key);
                        CheckTrackerColumn(map, "median_working_days", from, spec, what, TrackerColumnType.Date);
                        CheckTrackerColumn(map, "median_working_days", to, spec, what, TrackerColumnType.Date);
                    }

                    break;
            }

            var expectedType = kind == DerivationKind.MedianWorkingDays ? "decimal" : "count";
            if ((kind == DerivationKind.MedianWorkingDays && question.Type != QuestionType.Decimal)
                || (kind != DerivationKind.MedianWorkingDays && !question.IsWholeNumber))
            {
                Add(keyNode.Start, $"{what}: a {kinds[0]} gives a {expectedType}, but '{itemKey}' is a {question.Type.ToString().ToLowerInvariant()} question.");
            }

            var by = OptionalText(map, "by");
            if (question.Grid is { } grid)
            {
                if (by is null)
                {
                    Add(map.Start, $"{what}: '{itemKey}' is a grid, so say which choice column gives its rows with 'by'.");
                }
                else if (CheckTrackerColumn(map, "by", by, spec, what, TrackerColumnType.Choice) is { } byColumn
                    && grid.Rows.FirstOrDefault(r => byColumn.Options.All(o => o.Value != r.Value)) is { } missingRow)
                {
                    Add(Node(map, "by")!.Start, $"{what}: the grid row '{missingRow.Value}' is not an option of tracker column '{by}'.");
                }

                if (grid.Columns.Count > 0)
                {
                    Add(keyNode.Start, $"{what}: only grids without columns can be derived.");
                }
            }
            else if (by is not null)
            {
                Add(Node(map, "by")!.Start, $"{what}: 'by' is only for grid questions.");
            }

            var where = ParseConditions(map, "where", spec, what);
            var unless = ParseConditions(map, "unless_family", spec, what);
            if (_file.Problems.Count == before && inPeriod is not null)
            {
                result.Add(new Derivation(itemKey, kind, inPeriod, sumColumn, from, to, by, where, unless));
            }
        }

        return result;
    }

    private TrackerColumn? CheckTrackerColumn(YamlMappingNode map, string field, string? key, TrackerSpec spec, string what, TrackerColumnType type)
    {
        if (key is null)
        {
            return null;
        }

        var column = spec.FindColumn(key);
        if (column is null || column.Type != type)
        {
            var typeName = type switch { TrackerColumnType.YesNo => "yes_no", _ => type.ToString().ToLowerInvariant() };
            Add(Node(map, field)?.Start ?? map.Start, $"{what}: '{field}' must name a {typeName} column of the tracker, not '{key}'.");
            return null;
        }

        return column;
    }

    private List<TrackerCondition> ParseConditions(YamlMappingNode map, string field, TrackerSpec spec, string what)
    {
        var result = new List<TrackerCondition>();
        if (Node(map, field) is not { } node)
        {
            return result;
        }

        if (node is not YamlMappingNode conditions)
        {
            Add(node.Start, $"{what}: '{field}' must map columns to values, like {{ response: accepted }}.");
            return result;
        }

        foreach (var (keyNode, value) in conditions.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var column = spec.FindColumn(key);
            if (column is null)
            {
                Add(keyNode.Start, $"{what}: '{key}' in {field} is not a column of the tracker.");
                continue;
            }

            var values = value switch
            {
                YamlScalarNode scalar => [scalar.Value ?? ""],
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
                _ => new List<string>(),
            };
            if (values is ["present"] or ["absent"])
            {
                result.Add(new TrackerCondition(key, values[0] == "present" ? TrackerConditionKind.Present : TrackerConditionKind.Absent, []));
                continue;
            }

            var allowed = column.Type == TrackerColumnType.YesNo ? ["yes", "no"] : column.Options.Select(o => o.Value).ToList();
            if (values.Count == 0 || values.Any(v => !allowed.Contains(v)))
            {
                Add(value.Start, $"{what}: '{key}' in {field} must be present, absent, or one of: {string.Join(", ", allowed)}.");
                continue;
            }

            result.Add(new TrackerCondition(key, TrackerConditionKind.Equals, values));
        }

        return result;
    }
}
