namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Carries values between versions of a survey, following <c>mapped_from</c> and unchanged keys.</summary>
public static class VersionMapping
{
    /// <summary>
    /// The key in <paramref name="from"/> whose value belongs to <paramref name="toKey"/> in <paramref name="to"/>,
    /// or null when there is none. Works forwards (new item mapped from an old key) and backwards. When an old
    /// item was split into several new items, no value is carried (it cannot be divided).
    /// </summary>
    public static string? SourceKey(SurveyDefinition from, SurveyDefinition to, string toKey)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var target = to.FindQuestion(toKey);
        if (target is null)
        {
            return null;
        }

        // Forwards: the target says where it came from.
        var mapping = target.MappedFrom.FirstOrDefault(m => SameVersion(m.Version, from.Version));
        if (mapping is not null)
        {
            var splitCount = to.Questions.Count(q => q.MappedFrom.Any(m => SameVersion(m.Version, from.Version) && m.Key == mapping.Key));
            return splitCount == 1 && from.FindQuestion(mapping.Key) is not null ? mapping.Key : null;
        }

        // Backwards: a question in 'from' says it came from the target.
        var renamed = from.Questions.Where(q => q.MappedFrom.Any(m => SameVersion(m.Version, to.Version) && m.Key == toKey)).ToList();
        if (renamed.Count > 0)
        {
            return renamed.Count == 1 ? renamed[0].Key : null;
        }

        // Same key, unless that key was itself mapped elsewhere.
        var same = from.FindQuestion(toKey);
        if (same is null || same.MappedFrom.Any(m => SameVersion(m.Version, to.Version) && m.Key != toKey))
        {
            return null;
        }

        return to.Questions.Any(q => q.Key != toKey && q.MappedFrom.Any(m => SameVersion(m.Version, from.Version) && m.Key == toKey))
            ? null
            : same.Type == target.Type ? toKey : null;
    }

    /// <summary>
    /// Translates a return's values from one version's keys to another's. Grid cells carry over when the row
    /// (and column) exists in both. Values for items with no source are left out (unanswered).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Translate(
        SurveyDefinition from,
        SurveyDefinition to,
        IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(values);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var question in to.Questions)
        {
            var source = SourceKey(from, to, question.Key);
            if (source is null)
            {
                continue;
            }

            foreach (var cell in question.ValueKeys)
            {
                var sourceCell = source + cell[question.Key.Length..];
                if (values.TryGetValue(sourceCell, out var value))
                {
                    result[cell] = value;
                }
            }
        }

        return result;
    }

    private static bool SameVersion(string a, string b) =>
        a == b || (SemanticVersion.TryParse(a, out var va) && SemanticVersion.TryParse(b, out var vb) && va.CompareTo(vb) == 0);
}
