using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Rules of the <c>peer_range</c> kind: a query against the latest final benchmark.</summary>
internal sealed partial class DefinitionFileParser
{
    private static readonly string[] PeerRangeFields = ["measure", "name", "below_england_percentile", "above_england_percentile", "neighbour_median_times", "minimum_denominator"];

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
}
