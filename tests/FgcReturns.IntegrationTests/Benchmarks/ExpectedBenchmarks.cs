using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>
/// The benchmark figures computed independently, in straight C#, from the same returns: the oracle the SQL is
/// compared with. Quartiles use linear interpolation between order statistics (PostgreSQL's percentile_cont).
/// </summary>
public static class ExpectedBenchmarks
{
    public sealed record LaFigure(string State, decimal? Value, decimal? Numerator, decimal? Denominator);

    public sealed record AreaFigure(
        decimal? Total, decimal? NumeratorTotal, decimal? DenominatorTotal, decimal? Rate, decimal? Mean,
        double? Median, double? LowerQuartile, double? UpperQuartile, decimal? Min, decimal? Max, int Reporting, int NotRecorded);

    public sealed record Measure(string Key, string Kind, Indicator? Indicator);

    public static IReadOnlyList<Measure> Measures(SurveyDefinition definition)
    {
        var list = new List<Measure>();
        foreach (var q in definition.Questions)
        {
            if (q.IsNumeric)
            {
                list.Add(new Measure(q.Key, q.Type == QuestionType.Count ? "Count" : "Decimal", null));
            }
            else if (q.Type == QuestionType.CountGrid)
            {
                list.AddRange(q.ValueKeys.Select(k => new Measure(k, "Count", null)));
            }
        }

        list.AddRange(definition.Indicators.Select(i => new Measure(i.Key, "Indicator", i)));
        return list;
    }

    public static LaFigure La(Measure measure, IReadOnlyDictionary<string, string?> values, decimal? population)
    {
        if (measure.Indicator is null)
        {
            return Item(values, measure.Key);
        }

        var i = measure.Indicator;
        var n = Item(values, i.Numerator);
        var d = i.Denominator == Indicator.Population0To17
            ? population is null ? new LaFigure("NotAnswered", null, null, null) : new LaFigure("Value", population, null, null)
            : Item(values, i.Denominator);
        if (n.State == "Value" && d.State == "Value")
        {
            var rate = i.Compute(values, population);
            return d.Value == 0 ? new LaFigure("NotApplicable", null, n.Value, 0) : new LaFigure("Value", rate, n.Value, d.Value);
        }

        var state = n.State == "NotRecorded" || d.State == "NotRecorded" ? "NotRecorded" : "NotAnswered";
        return new LaFigure(state, null, n.State == "Value" ? n.Value : null, d.State == "Value" ? d.Value : null);
    }

    public static AreaFigure Area(Measure measure, IReadOnlyList<LaFigure> figures)
    {
        var reported = figures.Where(f => f.State == "Value").ToList();
        var values = reported.Select(f => f.Value!.Value).Order().ToList();
        var isIndicator = measure.Indicator is not null;
        decimal? numerator = isIndicator && reported.Count > 0 ? reported.Sum(f => f.Numerator!.Value) : null;
        decimal? denominator = isIndicator && reported.Count > 0 ? reported.Sum(f => f.Denominator!.Value) : null;
        return new AreaFigure(
            measure.Kind == "Count" && values.Count > 0 ? values.Sum() : null,
            numerator,
            denominator,
            isIndicator && denominator is > 0 ? numerator / denominator * measure.Indicator!.Multiplier : null,
            values.Count > 0 ? values.Average() : null,
            Percentile(values, 0.5),
            Percentile(values, 0.25),
            Percentile(values, 0.75),
            values.Count > 0 ? values[0] : null,
            values.Count > 0 ? values[^1] : null,
            values.Count,
            figures.Count(f => f.State == "NotRecorded"));
    }

    /// <summary>percentile_cont: the value at position p x (n - 1), interpolating linearly between neighbours.</summary>
    public static double? Percentile(IReadOnlyList<decimal> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        var a = (double)sorted[lower];
        var b = (double)sorted[upper];
        return a + ((position - lower) * (b - a));
    }

    /// <summary>Rank among reporting LAs (ties share the best rank) and the quartile band from it.</summary>
    public static (int Rank, int Of, int Quartile) Rank(decimal value, IReadOnlyList<decimal> all, bool lowerIsBetter)
    {
        var better = lowerIsBetter ? all.Count(v => v < value) : all.Count(v => v > value);
        var rank = better + 1;
        return (rank, all.Count, ((rank - 1) * 4 / all.Count) + 1);
    }

    private static LaFigure Item(IReadOnlyDictionary<string, string?> values, string key)
    {
        if (!values.TryGetValue(key, out var raw))
        {
            return new LaFigure("NotAnswered", null, null, null);
        }

        return raw is null
            ? new LaFigure("NotRecorded", null, null, null)
            : new LaFigure("Value", decimal.Parse(raw, NumberStyles.Number, CultureInfo.InvariantCulture), null, null);
    }
}
