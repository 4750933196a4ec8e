using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Benchmarks;

/// <summary>Synthetic return values: every numeric item and grid cell, some small, zero, not recorded or unanswered.</summary>
internal static class Synthetic
{
    public static Dictionary<string, string?> Values(Random rng, SurveyDefinition definition)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var q in definition.Questions)
        {
            if (q.IsChoice)
            {
                values[q.Key] = q.EffectiveOptions[rng.Next(q.EffectiveOptions.Count)].Value;
                continue;
            }

            if (!q.IsNumeric && q.Type != QuestionType.CountGrid)
            {
                continue;
            }

            foreach (var key in q.ValueKeys)
            {
                var roll = rng.Next(100);
                if (roll < 3)
                {
                    continue;
                }

                values[key] = roll switch
                {
                    < 8 => null,
                    < 15 => rng.Next(1, 5).ToString(CultureInfo.InvariantCulture),
                    < 18 => "0",
                    _ when q.Type == QuestionType.Decimal => (rng.Next(5, 300) / 10m).ToString("0.#", CultureInfo.InvariantCulture),
                    _ => rng.Next(5, 600).ToString(CultureInfo.InvariantCulture),
                };
            }
        }

        return values;
    }
}
