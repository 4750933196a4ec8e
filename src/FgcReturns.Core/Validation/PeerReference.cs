using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Validation;

/// <summary>
/// The latest final benchmark figures that the peer rules compare against, as plain data: the caller loads them
/// from the stored final build (the engine stays pure). Only published aggregates, never another LA's value.
/// </summary>
/// <param name="Period">The benchmark year, e.g. 2024-25.</param>
/// <param name="IsLastYear">True when that year is the one just before the return's: messages then say "last year".</param>
/// <param name="Population0To17">The LA's population aged 0 to 17, for indicators per 10,000 children.</param>
/// <param name="Measures">Figures by measure key (indicator or question key of the return's definition).</param>
public sealed record PeerReference(
    string Period,
    bool IsLastYear,
    decimal? Population0To17,
    IReadOnlyDictionary<string, PeerFigures> Measures)
{
    /// <summary>"last year", or "in 2023-24" when the benchmark is older.</summary>
    public string When => IsLastYear ? "last year" : "in " + Period;
}

/// <summary>One measure's benchmark figures; a figure that was suppressed or below coverage is null.</summary>
/// <param name="EnglandMedian">England median of LA values.</param>
/// <param name="EnglandPercentiles">England percentiles of LA values, by percentile (e.g. 5 and 95).</param>
/// <param name="NeighbourMedian">Median of the LA's statistical neighbours.</param>
public sealed record PeerFigures(decimal? EnglandMedian, IReadOnlyDictionary<int, decimal> EnglandPercentiles, decimal? NeighbourMedian);

/// <summary>Formats a measure's value the way a person reads it: 12%, 45.2 per 10,000 children, 23.5 days.</summary>
public static class MeasureFormat
{
    public static string Value(decimal value, decimal multiplier, string? unit) => multiplier switch
    {
        100m => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,##0", CultureInfo.InvariantCulture) + "%",
        10000m => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("#,##0.#", CultureInfo.InvariantCulture) + " per 10,000 children",
        _ => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("#,##0.#", CultureInfo.InvariantCulture) + (string.IsNullOrWhiteSpace(unit) ? "" : " " + unit),
    };

    /// <summary>A measure's value formatted from the definition: an indicator by its multiplier, a question by its unit.</summary>
    public static string Value(SurveyDefinition definition, string measure, decimal value)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.FindIndicator(measure) is { } indicator
            ? Value(value, indicator.Multiplier, indicator.Unit)
            : Value(value, 1m, definition.FindQuestion(measure)?.Unit);
    }
}
