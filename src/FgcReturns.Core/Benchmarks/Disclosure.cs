using System.Globalization;

namespace FgcReturns.Core.Benchmarks;

/// <summary>Who will see a figure: the public or another LA (suppressed), or the analysts themselves.</summary>
public enum DisclosureView
{
    /// <summary>Small counts and rates from them shown as c. For anything another LA or the public sees.</summary>
    Suppressed,

    /// <summary>Every figure. Analysts only; outputs are marked OFFICIAL-SENSITIVE.</summary>
    Unsuppressed,
}

/// <summary>A figure to show: a number, or a GSS symbol saying why there is none.</summary>
public readonly record struct Figure(decimal? Number, string? Symbol)
{
    public static Figure Of(decimal? number) => number is null ? NotAvailable : new Figure(number, null);

    /// <summary>c: confidential (suppressed to protect individuals).</summary>
    public static readonly Figure Suppressed = new(null, Gss.Suppressed);

    /// <summary>x: not available (not recorded or not answered).</summary>
    public static readonly Figure NotAvailable = new(null, Gss.NotAvailable);

    /// <summary>z: not applicable (e.g. a rate whose denominator is 0).</summary>
    public static readonly Figure NotApplicable = new(null, Gss.NotApplicable);

    public string Format(int decimals) =>
        Number is { } n ? n.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Symbol ?? "";

    /// <summary>Plain machine-readable text (no thousands separators): for CSV.</summary>
    public string Plain(int decimals) =>
        Number is { } n ? Math.Round(n, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Symbol ?? "";
}

/// <summary>The Government Statistical Service symbols used in every output.</summary>
public static class Gss
{
    public const string Suppressed = "c";
    public const string NotAvailable = "x";
    public const string NotApplicable = "z";

    public static readonly IReadOnlyList<(string Symbol, string Meaning)> Legend =
    [
        (Suppressed, "confidential: a count from 1 to the suppression threshold, or a figure computed from one, is not shown to protect the children and families concerned"),
        (NotAvailable, "not available: the local authority did not record this (\"not recorded\"), did not answer it, or the population was not available; for England, a region or a neighbour group, too few local authorities reported it (below the minimum coverage)"),
        (NotApplicable, "not applicable: a rate whose denominator is 0, a statistic that does not apply to the item (such as a total of a rate), an item not collected that year, or a date or count for a return that was not made"),
    ];
}

/// <summary>Statistical disclosure control applied when figures are shown.</summary>
public static class DisclosureControl
{
    /// <summary>Below this number of reporting LAs, a group statistic of an indicator that includes a small value is suppressed.</summary>
    public const int MinimumGroupSize = 3;

    public static Figure La(BenchmarkLaValue? value, DisclosureView view) => value is null
        ? Figure.NotAvailable
        : value.State switch
        {
            ValueState.Value when (value.Small || value.Suppressed) && view == DisclosureView.Suppressed => Figure.Suppressed,
            ValueState.Value => Figure.Of(value.Value),
            ValueState.NotApplicable => Figure.NotApplicable,
            _ => Figure.NotAvailable,
        };

    /// <summary>Rank and quartile are shown only with the value they belong to.</summary>
    public static bool ShowsRank(BenchmarkLaValue? value, DisclosureView view) =>
        value is { State: ValueState.Value, Rank: not null } && (!(value.Small || value.Suppressed) || view == DisclosureView.Unsuppressed);

    public enum Statistic { Total, Rate, Mean, Median, LowerQuartile, UpperQuartile, Min, Max }

    public static Figure Area(BenchmarkAreaValue? area, MeasureKind kind, Statistic statistic, int threshold, DisclosureView view)
    {
        if (area is null || area.ReportingCount == 0)
        {
            return Figure.NotAvailable;
        }

        var raw = statistic switch
        {
            Statistic.Total => area.Total,
            Statistic.Rate => area.Rate,
            Statistic.Mean => area.Mean,
            Statistic.Median => area.Median,
            Statistic.LowerQuartile => area.LowerQuartile,
            Statistic.UpperQuartile => area.UpperQuartile,
            // Over unsuppressed LAs only: the same as the true minimum whenever the build has not suppressed it,
            // and safe for builds made before the build set SuppressedStatistics.
            Statistic.Min => view == DisclosureView.Suppressed && kind == MeasureKind.Indicator ? area.PublicMin : area.Min,
            Statistic.Max => view == DisclosureView.Suppressed && kind == MeasureKind.Indicator ? area.PublicMax : area.Max,
            _ => null,
        };
        if (statistic == Statistic.Rate && area.DenominatorTotal == 0)
        {
            return Figure.NotApplicable;
        }

        if (view == DisclosureView.Suppressed && area.SuppressedStatistics.HasFlag(SuppressedStatistics.BelowCoverage))
        {
            return Figure.NotAvailable; // too few LAs report it in this area to call it the area's figure
        }

        if (view == DisclosureView.Unsuppressed || kind == MeasureKind.Decimal)
        {
            return Figure.Of(raw);
        }

        var bit = statistic switch
        {
            Statistic.Total => SuppressedStatistics.Total,
            Statistic.Rate => SuppressedStatistics.Rate,
            Statistic.Mean => SuppressedStatistics.Mean,
            Statistic.Median => SuppressedStatistics.Median,
            Statistic.LowerQuartile => SuppressedStatistics.LowerQuartile,
            Statistic.UpperQuartile => SuppressedStatistics.UpperQuartile,
            Statistic.Min => SuppressedStatistics.Min,
            _ => SuppressedStatistics.Max,
        };
        if ((area.SuppressedStatistics & bit) != 0)
        {
            return Figure.Suppressed; // secondary suppression or the derived-statistic rule (BenchmarkDisclosure)
        }

        if (kind == MeasureKind.Count)
        {
            // Any statistic of counts that is itself a small count could reveal one LA's small count.
            return raw is > 0 && raw <= threshold ? Figure.Suppressed : Figure.Of(raw);
        }

        return statistic switch
        {
            Statistic.Rate => IsSmall(area.NumeratorTotal, threshold) || IsSmall(area.DenominatorTotal, threshold) ? Figure.Suppressed : Figure.Of(raw),
            Statistic.Min or Statistic.Max => raw is null ? Figure.Suppressed : Figure.Of(raw),
            _ => area.SmallCount > 0 && area.ReportingCount < MinimumGroupSize ? Figure.Suppressed : Figure.Of(raw),
        };
    }

    public static bool IsSmall(decimal? count, int threshold) => count is >= 1 && count <= threshold;

    /// <summary>Decimal places to show: counts 0, decimals and indicators 1; group averages of counts 1.</summary>
    public static int Decimals(MeasureKind kind, Statistic? statistic = null) =>
        kind == MeasureKind.Count && statistic is null or Statistic.Total or Statistic.Min or Statistic.Max ? 0 : 1;
}
