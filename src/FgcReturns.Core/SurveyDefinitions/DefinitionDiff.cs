namespace FgcReturns.Core.SurveyDefinitions;

public sealed record ItemChange(string Key, string? OldKey, IReadOnlyList<string> Changes);

public sealed record RuleChange(string Id, IReadOnlyList<string> Changes);

public sealed record DefinitionChanges(
    IReadOnlyList<string> SectionsAdded,
    IReadOnlyList<string> SectionsRemoved,
    IReadOnlyList<string> ItemsAdded,
    IReadOnlyList<string> ItemsRemoved,
    IReadOnlyList<ItemChange> ItemsRenamed,
    IReadOnlyList<ItemChange> ItemsChanged,
    IReadOnlyList<string> RulesAdded,
    IReadOnlyList<string> RulesRemoved,
    IReadOnlyList<RuleChange> RulesChanged,
    IReadOnlyList<string> IndicatorsAdded,
    IReadOnlyList<string> IndicatorsRemoved,
    IReadOnlyList<RuleChange> IndicatorsChanged)
{
    public bool IsEmpty =>
        SectionsAdded.Count + SectionsRemoved.Count + ItemsAdded.Count + ItemsRemoved.Count + ItemsRenamed.Count
        + ItemsChanged.Count + RulesAdded.Count + RulesRemoved.Count + RulesChanged.Count + IndicatorsAdded.Count
        + IndicatorsRemoved.Count + IndicatorsChanged.Count == 0;
}

/// <summary>What changed between two versions of a survey.</summary>
public static class DefinitionDiff
{
    public static DefinitionChanges Compare(SurveyDefinition older, SurveyDefinition newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);

        var oldSections = older.Sections.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var newSections = newer.Sections.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

        var itemsAdded = new List<string>();
        var renamed = new List<ItemChange>();
        var changed = new List<ItemChange>();
        var matchedOld = new HashSet<string>(StringComparer.Ordinal);
        foreach (var question in newer.Questions)
        {
            var source = VersionMapping.SourceKey(older, newer, question.Key)
                ?? (older.FindQuestion(question.Key) is not null ? question.Key : null);
            if (source is null)
            {
                itemsAdded.Add(question.Key);
                continue;
            }

            matchedOld.Add(source);
            var differences = Differences(older.FindQuestion(source)!, question);
            if (source != question.Key)
            {
                renamed.Add(new ItemChange(question.Key, source, differences));
            }
            else if (differences.Count > 0)
            {
                changed.Add(new ItemChange(question.Key, null, differences));
            }
        }

        var itemsRemoved = older.Questions.Where(q => !matchedOld.Contains(q.Key)).Select(q => q.Key).ToList();

        var rulesChanged = new List<RuleChange>();
        foreach (var rule in newer.Rules)
        {
            if (older.FindRule(rule.Id) is not { } old)
            {
                continue;
            }

            var what = new List<string>();
            AddIf(what, "severity", old.Severity != rule.Severity);
            AddIf(what, "assert", old.Assert != rule.Assert);
            AddIf(what, "message", old.Message != rule.Message);
            AddIf(what, "items", !old.ItemKeys.SequenceEqual(rule.ItemKeys));
            AddIf(what, "when_not_recorded", old.WhenNotRecorded != rule.WhenNotRecorded);
            if (what.Count > 0)
            {
                rulesChanged.Add(new RuleChange(rule.Id, what));
            }
        }

        var indicatorsChanged = new List<RuleChange>();
        foreach (var indicator in newer.Indicators)
        {
            if (older.FindIndicator(indicator.Key) is not { } old)
            {
                continue;
            }

            var what = new List<string>();
            AddIf(what, "label", old.Label != indicator.Label);
            AddIf(what, "numerator", old.Numerator != indicator.Numerator);
            AddIf(what, "denominator", old.Denominator != indicator.Denominator);
            AddIf(what, "multiplier", old.Multiplier != indicator.Multiplier);
            AddIf(what, "unit", old.Unit != indicator.Unit);
            AddIf(what, "higher_is", old.HigherIs != indicator.HigherIs);
            if (what.Count > 0)
            {
                indicatorsChanged.Add(new RuleChange(indicator.Key, what));
            }
        }

        return new DefinitionChanges(
            newer.Sections.Where(s => !oldSections.Contains(s.Key)).Select(s => s.Key).ToList(),
            older.Sections.Where(s => !newSections.Contains(s.Key)).Select(s => s.Key).ToList(),
            itemsAdded,
            itemsRemoved,
            renamed,
            changed,
            newer.Rules.Where(r => older.FindRule(r.Id) is null).Select(r => r.Id).ToList(),
            older.Rules.Where(r => newer.FindRule(r.Id) is null).Select(r => r.Id).ToList(),
            rulesChanged,
            newer.Indicators.Where(i => older.FindIndicator(i.Key) is null).Select(i => i.Key).ToList(),
            older.Indicators.Where(i => newer.FindIndicator(i.Key) is null).Select(i => i.Key).ToList(),
            indicatorsChanged);
    }

    private static List<string> Differences(Question old, Question current)
    {
        var what = new List<string>();
        AddIf(what, "label", old.Label != current.Label);
        AddIf(what, "hint", old.Hint != current.Hint);
        AddIf(what, "guidance", old.Guidance != current.Guidance);
        AddIf(what, "type", old.Type != current.Type);
        AddIf(what, "unit", old.Unit != current.Unit);
        AddIf(what, "min", old.Min != current.Min);
        AddIf(what, "max", old.Max != current.Max);
        AddIf(what, "not_recorded_allowed", old.AllowNotRecorded != current.AllowNotRecorded);
        AddIf(what, "options", !old.Options.SequenceEqual(current.Options));
        AddIf(what, "grid", !GridEqual(old.Grid, current.Grid));
        AddIf(what, "section", old.SectionKey != current.SectionKey);
        return what;
    }

    private static bool GridEqual(GridDefinition? a, GridDefinition? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && a.Rows.SequenceEqual(b.Rows) && a.Columns.SequenceEqual(b.Columns) && a.TotalOf == b.TotalOf);

    private static void AddIf(List<string> list, string what, bool condition)
    {
        if (condition)
        {
            list.Add(what);
        }
    }
}
