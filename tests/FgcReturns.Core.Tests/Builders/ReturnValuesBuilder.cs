namespace FgcReturns.Core.Tests.Builders;

/// <summary>
/// Builds the values of a return (key = question key or grid cell key, null = not recorded).
/// Copy-friendly: depends on nothing but the BCL, so integration tests can reuse it as it is.
/// </summary>
public sealed class ReturnValuesBuilder
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static ReturnValuesBuilder Empty() => new();

    /// <summary>A fully answered, consistent FGC annual return 1.0 that passes every rule and raises no query.</summary>
    public static ReturnValuesBuilder ValidFgc10() => new ReturnValuesBuilder()
        .With("service_model", "in_house")
        .With("coordinators_fte", "4.5")
        .With("coordinators_independent", "yes")
        .With("frg_accredited", "accredited")
        .With("advocacy_offered", "yes")
        .With("recording_systems", "case_management_system,spreadsheet")
        .With("stages_offered", "child_protection,pre_proceedings")
        .With("referrals_children", "120")
        .With("referrals_families", "60")
        .WithGrid("referrals_by_stage", ("early_help", 20), ("child_in_need", 30), ("child_protection", 30), ("pre_proceedings", 25), ("care_proceedings", 5), ("looked_after", 5), ("other_or_not_known", 5))
        .With("families_offered", "50")
        .With("families_accepted", "40")
        .With("families_declined", "8")
        .With("offered_pre_proceedings", "15")
        .With("accepted_pre_proceedings", "12")
        .WithGrid("not_proceeded_by_reason", ("family_withdrew", 2), ("circumstances_changed", 1), ("unsafe", 0), ("no_network", 1), ("other", 0))
        .With("fgcs_held", "36")
        .With("children_in_fgcs", "70")
        .With("fgcs_held_pre_proceedings", "10")
        .With("review_fgcs_held", "20")
        .With("plans_agreed", "30")
        .With("child_participated", "25")
        .With("advocate_supported", "12")
        .With("median_days_referral_to_fgc", "21.5")
        .WithGrid("children_by_age", ("under_1", 5), ("age_1_to_4", 15), ("age_5_to_9", 20), ("age_10_to_15", 22), ("age_16_plus", 6), ("not_known", 2))
        .WithGrid("children_by_sex", ("male", 36), ("female", 33), ("not_known", 1))
        .WithGrid("children_by_ethnicity", ("white", 50), ("mixed", 6), ("asian", 5), ("black", 5), ("other", 2), ("not_known", 2))
        .With("children_disabled", "8")
        .With("outcome_with_parents", "45")
        .With("outcome_with_family_network", "12")
        .With("outcome_looked_after", "8")
        .With("outcome_not_known", "5")
        .With("outcome_proceedings_issued", "6");

    /// <summary>The same return in version 1.1 keys, with section G and referrals_not_viable answered.</summary>
    public static ReturnValuesBuilder ValidFgc11() => ValidFgc10()
        .Rename("fgcs_held", "initial_fgcs_held")
        .With("referrals_not_viable", "10")
        .With("fgdm_applications", "30")
        .With("fgdm_offered", "26")
        .With("fgdm_not_offered_best_interests", "4")
        .With("fgdm_accepted", "20")
        .With("fgdm_held_before_application", "18")
        .With("fgdm_not_held_best_interests", "2");

    /// <summary>A previous accepted 1.0 return close to <see cref="ValidFgc10"/> (no year-on-year query).</summary>
    public static ReturnValuesBuilder PreviousFgc10() => ValidFgc10()
        .With("fgcs_held", "30")
        .With("families_offered", "45")
        .With("referrals_children", "110");

    public ReturnValuesBuilder With(string key, string? value)
    {
        _values[key] = value;
        return this;
    }

    public ReturnValuesBuilder With(string key, long value) =>
        With(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ReturnValuesBuilder NotRecorded(string key) => With(key, null);

    public ReturnValuesBuilder Without(string key)
    {
        _values.Remove(key);
        foreach (var cell in _values.Keys.Where(k => k.StartsWith(key + ".", StringComparison.Ordinal)).ToList())
        {
            _values.Remove(cell);
        }

        return this;
    }

    public ReturnValuesBuilder WithGrid(string gridKey, params (string Row, long Value)[] cells)
    {
        foreach (var (row, value) in cells)
        {
            With(gridKey + "." + row, value);
        }

        return this;
    }

    /// <summary>Marks every cell of a grid (with the given rows) as not recorded.</summary>
    public ReturnValuesBuilder GridNotRecorded(string gridKey, params string[] rows)
    {
        foreach (var row in rows)
        {
            NotRecorded(gridKey + "." + row);
        }

        return this;
    }

    public ReturnValuesBuilder Rename(string oldKey, string newKey)
    {
        if (_values.Remove(oldKey, out var value))
        {
            _values[newKey] = value;
        }

        return this;
    }

    public IReadOnlyDictionary<string, string?> Build() => new Dictionary<string, string?>(_values, StringComparer.Ordinal);
}
