using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>The <c>indicators</c> block: rates computed from a numerator and denominator.</summary>
internal sealed partial class DefinitionFileParser
{
    private static readonly string[] IndicatorFields = ["key", "label", "numerator", "denominator", "multiplier", "unit", "higher_is"];
    private static readonly decimal[] Multipliers = [1m, 100m, 10000m];

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
}
