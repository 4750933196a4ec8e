using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Benchmarks;

/// <summary>One measure of one collection as it is fed to the build SQL (serialised to a jsonb parameter).</summary>
public sealed record MeasureSpec(
    [property: JsonPropertyName("collection_id")] int CollectionId,
    [property: JsonPropertyName("measure_key")] string MeasureKey,
    [property: JsonPropertyName("series_key")] string SeriesKey,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("unit")] string? Unit,
    [property: JsonPropertyName("section")] string? Section,
    [property: JsonPropertyName("numerator")] string? Numerator,
    [property: JsonPropertyName("denominator")] string? Denominator,
    [property: JsonPropertyName("multiplier")] decimal? Multiplier,
    [property: JsonPropertyName("higher_is")] string? HigherIs,
    [property: JsonPropertyName("sort_order")] int SortOrder)
{
    /// <summary>An integer id unique within one build, set by the builder.</summary>
    [JsonPropertyName("mid")]
    public int Mid { get; init; }
}

/// <summary>
/// Turns survey definitions into the list of measures the build computes: every count and decimal question,
/// every cell of a count grid, and every indicator; each with its series key in the newest version.
/// </summary>
public static partial class BenchmarkMeasures
{
    /// <summary>Definition keys become SQL values, never identifiers; they are still checked to keep the data clean.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    public static partial Regex KeyPattern();

    public static IReadOnlyList<MeasureSpec> For(int collectionId, SurveyDefinition definition, SurveyDefinition newest)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(newest);
        var series = SeriesKeys(definition, newest);
        var measures = new List<MeasureSpec>();
        var order = 0;
        foreach (var section in definition.Sections)
        {
            foreach (var q in section.Questions)
            {
                if (q.IsNumeric)
                {
                    Check(q.Key);
                    measures.Add(new MeasureSpec(collectionId, q.Key, series.GetValueOrDefault(q.Key, q.Key),
                        q.Type == QuestionType.Count ? nameof(MeasureKind.Count) : nameof(MeasureKind.Decimal),
                        q.Label, q.Unit, section.Title, null, null, null, null, order++));
                }
                else if (q.Type == QuestionType.CountGrid && q.Grid is not null)
                {
                    Check(q.Key);
                    var seriesQuestion = series.GetValueOrDefault(q.Key, q.Key);
                    foreach (var row in q.Grid.Rows)
                    {
                        foreach (var (suffix, label) in CellSuffixes(q.Grid, row))
                        {
                            Check(suffix.Replace(".", "", StringComparison.Ordinal));
                            measures.Add(new MeasureSpec(collectionId, q.Key + suffix, seriesQuestion + suffix,
                                nameof(MeasureKind.Count), q.Label + ": " + label, q.Unit, section.Title,
                                null, null, null, null, order++));
                        }
                    }
                }
            }
        }

        foreach (var indicator in definition.Indicators)
        {
            Check(indicator.Key);
            Check(indicator.Numerator);
            Check(indicator.Denominator);
            measures.Add(new MeasureSpec(collectionId, indicator.Key, indicator.Key, nameof(MeasureKind.Indicator),
                indicator.Label, indicator.Unit, "Indicators", indicator.Numerator, indicator.Denominator, indicator.Multiplier,
                indicator.HigherIs.ToString(), order++));
        }

        return measures;
    }

    /// <summary>Question key in <paramref name="definition"/> to its key in <paramref name="newest"/>, following mapped_from.</summary>
    public static IReadOnlyDictionary<string, string> SeriesKeys(SurveyDefinition definition, SurveyDefinition newest)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(newest);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ReferenceEquals(definition, newest) || definition.Version == newest.Version)
        {
            return map;
        }

        foreach (var q in newest.Questions)
        {
            var source = VersionMapping.SourceKey(definition, newest, q.Key);
            if (source is not null)
            {
                map[source] = q.Key;
            }
        }

        return map;
    }

    public static string ToJson(IEnumerable<MeasureSpec> measures) => JsonSerializer.Serialize(measures);

    private static IEnumerable<(string Suffix, string Label)> CellSuffixes(GridDefinition grid, ChoiceOption row) =>
        grid.Columns.Count == 0
            ? [("." + row.Value, row.Label)]
            : grid.Columns.Select(c => ("." + row.Value + "." + c.Value, row.Label + ", " + c.Label));

    private static void Check(string key)
    {
        if (!KeyPattern().IsMatch(key))
        {
            throw new InvalidOperationException($"The definition key '{key}' is not a lower-case key like 'fgcs_held'.");
        }
    }
}
