using System.Globalization;
using FgcReturns.Core.Data;

namespace FgcReturns.Core.Collections;

/// <summary>The chase list of one collection: counts over all returns, and the filtered, sorted rows.</summary>
public sealed record CollectionDashboard(
    Collection Collection,
    int Total,
    IReadOnlyList<StatusCount> Counts,
    IReadOnlyList<RegionOption> Regions,
    IReadOnlyList<DashboardRow> Rows,
    DashboardQuery Query)
{
    public int SubmittedOrAccepted => Counts.Where(c => c.Status is ReturnStatus.Submitted or ReturnStatus.Accepted).Sum(c => c.Count);

    /// <summary>LAs (over the whole collection) that have no active data lead to receive reminders.</summary>
    public int WithoutDataLead { get; init; }
}

/// <summary>One LA's return as the chase list shows it.</summary>
public sealed record DashboardRow(
    int ReturnId,
    string LaCode,
    string LaName,
    string RegionCode,
    string RegionName,
    ReturnStatus Status,
    DateTimeOffset? LastModifiedAt,
    string? LastModifiedBy,
    int ErrorCount,
    int QueryCount,
    int SubmittedVersion,
    DateTimeOffset? SubmittedAt)
{
    /// <summary>Queries raised at the last save that the LA has not explained: what an analyst has to chase.</summary>
    public int UnexplainedQueryCount { get; init; }

    /// <summary>Whole UK days since the deadline ended while this return is still not submitted; 0 when not overdue.</summary>
    public int DaysOverdue { get; init; }

    /// <summary>The LA's active data leads, to chase; empty when it has none (flagged on the chase list).</summary>
    public IReadOnlyList<DataLead> DataLeads { get; init; } = [];

    public bool HasNoActiveDataLead => DataLeads.Count == 0;
}

/// <summary>An active data lead of an LA, as the chase list shows them.</summary>
public sealed record DataLead(string Name, string Email);

public sealed record StatusCount(ReturnStatus Status, int Count, int Total)
{
    /// <summary>Whole-number percentage of all returns, e.g. "98%".</summary>
    public string Percentage => Total == 0 ? "0%" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(100m * Count / Total, MidpointRounding.AwayFromZero):0}%");
}

public sealed record RegionOption(string Code, string Name);

public enum DashboardSort { La, Region, Status, LastActivity, Errors, Queries, Overdue, Version, Submitted }

/// <summary>
/// Filters and sort of the chase list, read from the query string (?status=NotStarted&amp;status=InProgress&amp;region=E12000008&amp;sort=errors&amp;dir=desc)
/// so the page works without JavaScript and the exports match what is on screen. Unknown values are ignored.
/// </summary>
public sealed record DashboardQuery(IReadOnlyList<ReturnStatus> Statuses, string? Region, DashboardSort Sort, bool Descending)
{
    public static readonly DashboardQuery Default = new([], null, DashboardSort.Status, false);

    /// <summary>The query-string names of the sort columns.</summary>
    public static string SortName(DashboardSort sort) => sort switch
    {
        DashboardSort.La => "la",
        DashboardSort.Region => "region",
        DashboardSort.Status => "status",
        DashboardSort.LastActivity => "activity",
        DashboardSort.Errors => "errors",
        DashboardSort.Queries => "queries",
        DashboardSort.Overdue => "overdue",
        DashboardSort.Version => "version",
        _ => "submitted",
    };

    public static DashboardQuery Parse(IEnumerable<string?>? statuses, string? region, string? sort, string? direction)
    {
        var parsed = (statuses ?? [])
            .SelectMany(s => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => Enum.TryParse<ReturnStatus>(s, ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : (ReturnStatus?)null)
            .OfType<ReturnStatus>()
            .Distinct()
            .Order()
            .ToList();
        var sortBy = Enum.GetValues<DashboardSort>().FirstOrDefault(s => string.Equals(SortName(s), sort, StringComparison.OrdinalIgnoreCase), DashboardSort.Status);
        return new DashboardQuery(
            parsed,
            string.IsNullOrWhiteSpace(region) ? null : region.Trim(),
            sortBy,
            string.Equals(direction, "desc", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>This query as a query string ("?…", or "" when it is the default), optionally with another sort.</summary>
    public string ToQueryString(DashboardSort? sort = null, bool? descending = null)
    {
        var parts = new List<string>();
        parts.AddRange(Statuses.Select(s => "status=" + s));
        if (Region is not null)
        {
            parts.Add("region=" + Uri.EscapeDataString(Region));
        }

        var sortBy = sort ?? Sort;
        var desc = descending ?? Descending;
        if (sortBy != DashboardSort.Status || desc)
        {
            parts.Add("sort=" + SortName(sortBy));
        }

        if (desc)
        {
            parts.Add("dir=desc");
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    public IReadOnlyList<DashboardRow> Apply(IEnumerable<DashboardRow> rows)
    {
        var filtered = rows
            .Where(r => Statuses.Count == 0 || Statuses.Contains(r.Status))
            .Where(r => Region is null || string.Equals(r.RegionCode, Region, StringComparison.OrdinalIgnoreCase));
        var ordered = Sort switch
        {
            DashboardSort.La => Order(filtered, r => r.LaName, StringComparer.InvariantCulture),
            DashboardSort.Region => Order(filtered, r => r.RegionName, StringComparer.InvariantCulture),
            DashboardSort.Status => Order(filtered, r => r.Status),
            DashboardSort.LastActivity => Order(filtered, r => r.LastModifiedAt),
            DashboardSort.Errors => Order(filtered, r => r.ErrorCount),
            DashboardSort.Queries => Order(filtered, r => r.UnexplainedQueryCount),
            DashboardSort.Overdue => Order(filtered, r => r.DaysOverdue),
            DashboardSort.Version => Order(filtered, r => r.SubmittedVersion),
            _ => Order(filtered, r => r.SubmittedAt),
        };

        // Ties (and the LA column itself) read alphabetically.
        return ordered.ThenBy(r => r.LaName, StringComparer.InvariantCulture).ThenBy(r => r.LaCode, StringComparer.Ordinal).ToList();
    }

    private IOrderedEnumerable<DashboardRow> Order<TKey>(IEnumerable<DashboardRow> rows, Func<DashboardRow, TKey> key, IComparer<TKey>? comparer = null) =>
        Descending ? rows.OrderByDescending(key, comparer ?? Comparer<TKey>.Default) : rows.OrderBy(key, comparer ?? Comparer<TKey>.Default);
}

/// <summary>Words for return statuses in exports and emails (the pages' tags use the same words).</summary>
