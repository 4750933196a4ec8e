using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Reading typed fields from YAML mappings, with a specific problem for each missing or malformed value.</summary>
internal sealed partial class DefinitionFileParser
{
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
