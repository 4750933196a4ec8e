using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.PeerInsight;

/// <summary>Where a value falls against England's quartiles of LA values.</summary>
public enum PeerBand
{
    LowestQuarter,
    BelowMedian,
    AboveMedian,
    HighestQuarter,
}

/// <summary>One key indicator: the LA's value from its current answers beside last year's published aggregates.</summary>
public sealed record PeerPositionRow(
    string Key,
    string Label,
    string Unit,
    decimal Multiplier,
    decimal? Value,
    Figure EnglandMedian,
    Figure EnglandLowerQuartile,
    Figure EnglandUpperQuartile,
    Figure RegionMedian,
    Figure NeighbourMedian,
    PeerBand? Band,
    string Sentence)
{
    public string Format(decimal value) => MeasureFormat.Value(value, Multiplier, Unit);

    public string Format(Figure figure) => figure.Number is { } n ? Format(n) : figure.Symbol ?? "";

    public string ValueText => Value is { } v ? Format(v) : "not available";
}

/// <summary>The "where you would sit" panel: the reference year, the LA's region, and one row per key indicator.</summary>
public sealed record PeerPosition(string Period, string RegionName, IReadOnlyList<PeerPositionRow> Rows);

/// <summary>
/// Computes the panel on demand from the stored current final build (no new build): the LA's indicators from the
/// answers given, England's published median and quartiles, and the medians of its region and statistical neighbours.
/// Only published (suppressed) aggregates are read; no other LA's value is loaded.
/// </summary>
public sealed class PeerPositionService(PeerBenchmarkQuery query, FgcDbContext db)
{
    public async Task<PeerPosition?> ComputeAsync(SurveyDefinition definition, Collection collection, string laCode, IReadOnlyDictionary<string, string?> values, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(values);
        var keys = definition.Indicators.Select(i => i.Key).ToList();
        var benchmark = await query.LoadAsync(collection.SurveyId, collection.PeriodStart, laCode, keys, [], ct);
        if (benchmark is null)
        {
            return null;
        }

        var population = definition.Indicators.Any(i => i.Denominator == Indicator.Population0To17)
            ? await query.PopulationAsync(laCode, collection.PeriodStart.Year, ct)
            : null;
        var regionName = await db.Regions.AsNoTracking().Where(r => r.Code == benchmark.RegionCode).Select(r => r.Name).SingleOrDefaultAsync(ct) ?? benchmark.RegionCode;
        var when = benchmark.PeriodStart == collection.PeriodStart.AddYears(-1) ? "last year" : "in " + benchmark.Period;
        var rows = new List<PeerPositionRow>();
        foreach (var indicator in definition.Indicators)
        {
            var england = benchmark.Area(indicator.Key, AreaLevel.National);
            if (england is null || england.ReportingCount == 0)
            {
                continue;
            }

            Figure Stat(AreaLevel level, DisclosureControl.Statistic statistic) => benchmark.Published(indicator.Key, level, statistic);
            var median = Stat(AreaLevel.National, DisclosureControl.Statistic.Median);
            var lower = Stat(AreaLevel.National, DisclosureControl.Statistic.LowerQuartile);
            var upper = Stat(AreaLevel.National, DisclosureControl.Statistic.UpperQuartile);
            var value = indicator.Compute(values, population);
            // The band is the LA's own position (as its own rank and quartile band are shown to it for published
            // figures), so it uses England's quartiles as built; only published quartiles are shown as numbers.
            var band = value is { } v && england.LowerQuartile is { } lq && england.Median is { } md && england.UpperQuartile is { } uq
                ? v < lq ? PeerBand.LowestQuarter : v < md ? PeerBand.BelowMedian : v <= uq ? PeerBand.AboveMedian : PeerBand.HighestQuarter
                : (PeerBand?)null;
            var row = new PeerPositionRow(indicator.Key, indicator.Label, indicator.Unit, indicator.Multiplier, value, median, lower, upper,
                Stat(AreaLevel.Regional, DisclosureControl.Statistic.Median), Stat(AreaLevel.Neighbours, DisclosureControl.Statistic.Median), band, "");
            rows.Add(row with { Sentence = Sentence(row, when) });
        }

        return rows.Count == 0 ? null : new PeerPosition(benchmark.Period, regionName, rows);
    }

    /// <summary>One plain sentence: the LA's value, the band it would fall in, and England's median.</summary>
    public static string Sentence(PeerPositionRow row, string when)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Value is not { } value)
        {
            return $"{row.Label}: not available from your answers yet.";
        }

        var band = row.Band switch
        {
            PeerBand.LowestQuarter => $"lower than three quarters of local authorities {when}",
            PeerBand.BelowMedian => $"below the middle of local authorities {when}, but not in the lowest quarter",
            PeerBand.AboveMedian => $"above the middle of local authorities {when}, but not in the highest quarter",
            PeerBand.HighestQuarter => $"higher than three quarters of local authorities {when}",
            _ => $"not placed against England {when}, because too few local authorities reported it",
        };
        var median = row.EnglandMedian.Number is { } m ? $" (England median {row.Format(m)})" : "";
        return $"{row.Label}: yours would be {row.Format(value)}, {band}{median}.";
    }
}
