using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Demo;

/// <summary>
/// Plausible, internally consistent FGC annual return figures for demos and benchmarks. SYNTHETIC:
/// generated from a seeded random number generator and an LA's child population, not real data.
/// </summary>
public static class SyntheticReturnGenerator
{
    public static Dictionary<string, string?> Generate(SurveyDefinition definition, int population0To17, int seed)
    {
        var random = new Random(seed);
        int Part(int of, double low, double high) => (int)Math.Round(of * (low + (random.NextDouble() * (high - low))));

        var referralsChildren = Math.Max(12, Part(population0To17, 0.002, 0.006));
        var referralsFamilies = Part(referralsChildren, 0.55, 0.75);
        var offered = Part(referralsFamilies, 0.7, 0.9);
        var accepted = Part(offered, 0.45, 0.75);
        var declined = Part(offered - accepted, 0.5, 0.9);
        var offeredPre = Part(offered, 0.15, 0.35);
        var acceptedPre = Math.Min(Part(offeredPre, 0.4, 0.8), accepted);
        var held = Part(accepted, 0.75, 0.95);
        var childrenInFgcs = Math.Max(held, Part(held, 1.4, 1.9));
        var heldPre = Math.Min(Part(held, 0.15, 0.35), held);
        var plans = Part(held, 0.7, 0.9);
        var participated = Part(held, 0.5, 0.8);
        var advocate = Part(participated, 0.2, 0.6);
        var lookedAfter = Part(childrenInFgcs, 0.05, 0.15);
        var withFamily = Part(childrenInFgcs, 0.1, 0.25);
        var notKnown = Part(childrenInFgcs, 0.0, 0.05);
        var withParents = childrenInFgcs - lookedAfter - withFamily - notKnown;

        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["service_model"] = random.Next(4) switch { 0 => "commissioned", 1 => "mixed", _ => "in_house" },
            ["coordinators_fte"] = Math.Round(Math.Max(1, held / 30.0), 1).ToString(CultureInfo.InvariantCulture),
            ["coordinators_independent"] = "yes",
            ["frg_accredited"] = random.Next(3) switch { 0 => "accredited", 1 => "working_towards", _ => "not_accredited" },
            ["advocacy_offered"] = "yes",
            ["recording_systems"] = "case_management_system,spreadsheet",
            ["stages_offered"] = "early_help,child_in_need,child_protection,pre_proceedings",
            ["referrals_children"] = Text(referralsChildren),
            ["referrals_families"] = Text(referralsFamilies),
            ["families_offered"] = Text(offered),
            ["families_accepted"] = Text(accepted),
            ["families_declined"] = Text(declined),
            ["offered_pre_proceedings"] = Text(offeredPre),
            ["accepted_pre_proceedings"] = Text(acceptedPre),
            ["fgcs_held"] = Text(held),
            ["initial_fgcs_held"] = Text(held),
            ["children_in_fgcs"] = Text(childrenInFgcs),
            ["fgcs_held_pre_proceedings"] = Text(heldPre),
            ["review_fgcs_held"] = Text(Part(held, 0.3, 0.6)),
            ["plans_agreed"] = Text(plans),
            ["child_participated"] = Text(participated),
            ["advocate_supported"] = Text(advocate),
            ["median_days_referral_to_fgc"] = Math.Round(20 + (random.NextDouble() * 30), 1).ToString(CultureInfo.InvariantCulture),
            ["children_disabled"] = Text(Part(childrenInFgcs, 0.05, 0.15)),
            ["outcome_with_parents"] = Text(withParents),
            ["outcome_with_family_network"] = Text(withFamily),
            ["outcome_looked_after"] = Text(lookedAfter),
            ["outcome_not_known"] = Text(notKnown),
            ["outcome_proceedings_issued"] = Text(Part(lookedAfter, 0.5, 1.0)),
        };

        // Every grid splits the item it must total (or a share of agreed families not held) across its rows.
        foreach (var grid in definition.Questions.Where(q => q.Type == QuestionType.CountGrid && q.Grid is not null))
        {
            var total = grid.Grid!.TotalOf is { } totalOf && values.TryGetValue(totalOf, out var t) && t is not null
                ? int.Parse(t, CultureInfo.InvariantCulture)
                : Math.Max(0, accepted - held);
            var cells = grid.Grid.CellKeys(grid.Key).ToList();
            var remaining = total;
            for (var i = 0; i < cells.Count; i++)
            {
                var share = i == cells.Count - 1 ? remaining : Part(remaining, 0.2, 0.6);
                values[cells[i]] = Text(share);
                remaining -= share;
            }
        }

        // Keep only what this definition asks.
        var keys = definition.Questions.SelectMany(q => q.ValueKeys).ToHashSet(StringComparer.Ordinal);
        return values.Where(kv => keys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
