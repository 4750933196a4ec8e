using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Benchmarks;

/// <summary>Area statistics suppressed in outputs for others (bits of <see cref="BenchmarkAreaValue.SuppressedStatistics"/>).</summary>
[Flags]
public enum SuppressedStatistics
{
    None = 0,
    Total = 1,
    Rate = 2,
    Mean = 4,
    Median = 8,
    LowerQuartile = 16,
    UpperQuartile = 32,
    Min = 64,
    Max = 128,

    /// <summary>Too few LAs report the item in the area (coverage rule): every statistic is x, not c.</summary>
    BelowCoverage = 256,
}

/// <summary>One LA value of a build, as the disclosure step reads it; <see cref="Suppressed"/> is its result.</summary>
public sealed class DisclosureLaValue
{
    public required int CollectionId { get; init; }
    public required string LaCode { get; init; }
    public required string MeasureKey { get; init; }
    public ValueState State { get; init; }
    public decimal? Value { get; init; }
    public decimal? Denominator { get; init; }
    public bool Small { get; init; }
    public bool Suppressed { get; set; }
}

/// <summary>One area aggregate of a build, as the disclosure step reads it; <see cref="Suppressed"/> is its result.</summary>
public sealed class DisclosureAreaValue
{
    public required int CollectionId { get; init; }
    public required string MeasureKey { get; init; }
    public AreaLevel Level { get; init; }
    public required string AreaCode { get; init; }
    public decimal? Total { get; init; }
    public decimal? Rate { get; init; }
    public decimal? Mean { get; init; }
    public decimal? NumeratorTotal { get; init; }
    public decimal? DenominatorTotal { get; init; }
    public int ReportingCount { get; init; }
    public SuppressedStatistics Suppressed { get; set; }
}

/// <summary>An LA with its region and its statistical neighbours (the members of its neighbour group).</summary>
public sealed record DisclosureLa(string Code, string RegionCode, IReadOnlyList<string> Neighbours);

/// <summary>What the disclosure step needs of one collection of a build.</summary>
public sealed record DisclosureCollection(int CollectionId, string Period, SurveyDefinition Definition, IReadOnlyList<MeasureSpec> Measures);

/// <summary>
/// Disclosure control of a build, after the SQL has computed every figure and marked the small counts.
/// <para>The rule. Counts from 1 to the threshold are suppressed (primary), and so is any area total that is itself
/// from 1 to the threshold. Then, for every relation a reader knows, secondary suppression hides more cells so that
/// no suppressed cell is the only unknown of any relation, for the public (open data, suppressed national workbook)
/// and for each LA (which also knows its own figures and is shown its neighbour-group figures). The relations: each
/// grid's cells add up to the item it is a breakdown of (total_of); every sum rule of the definition (a + b + ... = c);
/// LAs add up to their region, England and each neighbour group; an LA's rate is its numerator over its denominator;
/// an area's rate is its summed numerator over its summed denominator; an area's mean of LA rates times the number
/// of LAs is their sum. Complements are chosen cheapest first: a neighbour-group figure (shown to one LA) costs
/// nothing, an LA count costs its value, an area mean or rate of an indicator 1,000, a regional total 10^6 and
/// England's 10^7, so totals are kept whenever an LA cell can go instead.</para>
/// <para>Derived statistics. The mean of an area's counts is its total divided by the number of LAs reporting, so it
/// is shown exactly when the total is. An LA rate is hidden when its numerator or denominator is. Median, quartiles,
/// minimum and maximum are order statistics: each is suppressed when an LA value it is computed from (the one or two
/// LAs at its position, interpolating as QUARTILE.INC) is suppressed, unless both are the same value and an LA of the
/// area whose value is published has exactly that value. Then the statistic is a published figure and tells a reader
/// only how many suppressed values lie above or below it, never one of them (with 150 LAs, counts tie often: a median
/// of 7 shared by a dozen LAs was suppressed because one of them was). A statistic computed from two published LAs
/// is shown even if it equals a suppressed value: that can only happen in such a tie.</para>
/// </summary>
public static partial class BenchmarkDisclosure
{
    private const double NeighbourCost = 0;
    private const double IndicatorAreaCost = 1_000;
    private const double RegionCost = 1_000_000;
    private const double EnglandCost = 10_000_000;

    /// <summary>
    /// Sets <see cref="DisclosureLaValue.Suppressed"/> and <see cref="DisclosureAreaValue.Suppressed"/>: primary
    /// suppression, then (when <paramref name="secondary"/>) complements, then the derived-statistic rule.
    /// Returns what is still recoverable: empty unless <paramref name="secondary"/> is off or no complement exists.
    /// </summary>
    public static IReadOnlyList<Recovery> Protect(IReadOnlyList<DisclosureCollection> collections, IReadOnlyList<DisclosureLa> las,
        IReadOnlyList<DisclosureLaValue> laValues, IReadOnlyList<DisclosureAreaValue> areaValues, int threshold, bool secondary,
        int minimumNationalLas = 0, int minimumAreaLas = 0) =>
        ProtectForAudit(collections, las, laValues, areaValues, threshold, secondary, minimumNationalLas, minimumAreaLas).Left;

    /// <summary>
    /// As <see cref="Protect"/>, keeping each collection's model so that the disclosure audit can run on it
    /// (<see cref="ProtectedBuild.Audit"/>) instead of building it again from the flags: the build's way. Building the
    /// model was about a third of the audit's time, and the audit's elimination is the same either way.
    /// </summary>
    public static ProtectedBuild ProtectForAudit(IReadOnlyList<DisclosureCollection> collections, IReadOnlyList<DisclosureLa> las,
        IReadOnlyList<DisclosureLaValue> laValues, IReadOnlyList<DisclosureAreaValue> areaValues, int threshold, bool secondary,
        int minimumNationalLas = 0, int minimumAreaLas = 0)
    {
        foreach (var v in laValues)
        {
            v.Suppressed = v.Small;
        }

        foreach (var a in areaValues)
        {
            a.Suppressed = a.Total is { } t && t >= 1 && t <= threshold ? SuppressedStatistics.Total | SuppressedStatistics.Mean : SuppressedStatistics.None;
            if (a.ReportingCount < (a.Level == AreaLevel.National ? minimumNationalLas : minimumAreaLas))
            {
                a.Suppressed |= SuppressedStatistics.BelowCoverage;
            }
        }

        var left = new List<Recovery>();
        var laByCollection = laValues.ToLookup(v => v.CollectionId);
        var areaByCollection = areaValues.ToLookup(a => a.CollectionId);
        var models = new List<(DisclosureCollection Collection, Model Model)>();

        // Collections share no relation, so they are protected independently, in parallel.
        Parallel.ForEach(LargestFirst(collections, c => laByCollection[c.CollectionId].Count()), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            var model = Model.Build(c, las, laByCollection[c.CollectionId], areaByCollection[c.CollectionId]);
            var found = new List<Recovery>(secondary ? model.Table.SuppressComplements() : model.Table.Audit());
            model.CopyHiddenBack();
            model.OrderStatistics(apply: true, found);
            lock (left)
            {
                left.AddRange(found);
                models.Add((c, model));
            }
        });

        return new ProtectedBuild(left, models);
    }

    /// <summary>A protected build: what is still recoverable, and each collection's model for the audit.</summary>
    public sealed class ProtectedBuild
    {
        private readonly List<(DisclosureCollection Collection, Model Model)> models;

        internal ProtectedBuild(IReadOnlyList<Recovery> left, List<(DisclosureCollection, Model)> models)
        {
            Left = left;
            this.models = models;
        }

        /// <summary>What is still recoverable after protection: empty unless secondary suppression is off or found no complement.</summary>
        public IReadOnlyList<Recovery> Left { get; }

        /// <summary>
        /// The disclosure audit, as <see cref="BenchmarkDisclosure.Audit"/> but on the models protection used: first
        /// every model cell must be hidden exactly when the flags that will be published say so (a flag that differs is
        /// reported), then the full elimination for the public and every LA from the published cells, and the order
        /// statistics from the flags. Empty when the build is safe to publish.
        /// </summary>
        public IReadOnlyList<Recovery> Audit()
        {
            var found = new List<Recovery>();
            Parallel.ForEach(LargestFirst(models, x => x.Model.Table.CellCount), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, x =>
            {
                var here = new List<Recovery>();
                x.Model.FlagsDiffering(here);
                here.AddRange(x.Model.Table.Audit());
                x.Model.OrderStatistics(apply: false, here);
                lock (found)
                {
                    found.AddRange(here);
                }
            });

            return [.. found.OrderBy(r => r.Cell, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The disclosure audit: from the suppression flags as they will be published, everything a reader can work out
    /// (single-unknown elimination over every relation, for the public and for each LA), and every published order
    /// statistic that gives a suppressed value away. Empty when the build is safe to publish.
    /// </summary>
    public static IReadOnlyList<Recovery> Audit(IReadOnlyList<DisclosureCollection> collections, IReadOnlyList<DisclosureLa> las,
        IReadOnlyList<DisclosureLaValue> laValues, IReadOnlyList<DisclosureAreaValue> areaValues)
    {
        var found = new List<Recovery>();
        var laByCollection = laValues.ToLookup(v => v.CollectionId);
        var areaByCollection = areaValues.ToLookup(a => a.CollectionId);
        Parallel.ForEach(LargestFirst(collections, c => laByCollection[c.CollectionId].Count()), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            var model = Model.Build(c, las, laByCollection[c.CollectionId], areaByCollection[c.CollectionId]);
            var here = new List<Recovery>(model.Table.Audit());
            model.OrderStatistics(apply: false, here);
            lock (found)
            {
                found.AddRange(here);
            }
        });

        return [.. found.OrderBy(r => r.Cell, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Collections for Parallel.ForEach one at a time, largest first: its default partitioning hands out items in
    /// growing chunks, so with ten years on two cores one thread could be left with the last large year alone.
    /// </summary>
    private static OrderablePartitioner<T> LargestFirst<T>(IEnumerable<T> items, Func<T, int> size) =>
        Partitioner.Create(items.OrderByDescending(size).ToList(), EnumerablePartitionerOptions.NoBuffering);

    /// <summary>The sum rules of a definition: conjuncts of asserts of the form <c>a + b + ... = c</c>.</summary>
    public static IReadOnlyList<(string Rule, string Total, IReadOnlyList<string> Terms)> SumRules(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var rules = new List<(string, string, IReadOnlyList<string>)>();
        foreach (var rule in definition.Rules)
        {
            foreach (var conjunct in AndSplit().Split(rule.Assert))
            {
                var m = SumEquality().Match(conjunct);
                if (!m.Success)
                {
                    continue;
                }

                var left = m.Groups["left"].Value.Split('+', StringSplitOptions.TrimEntries);
                var right = m.Groups["right"].Value.Split('+', StringSplitOptions.TrimEntries);
                if (left.Length > 1 && right.Length == 1)
                {
                    rules.Add((rule.Id, right[0], left));
                }
                else if (right.Length > 1 && left.Length == 1)
                {
                    rules.Add((rule.Id, left[0], right));
                }
            }
        }

        return rules;
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^\s*(?<left>[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*)\s*=\s*(?<right>[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*)\s*$")]
    private static partial Regex SumEquality();

    /// <summary>The LA codes in each area of a level: England, each region, each LA's neighbour group.</summary>
    private static IEnumerable<(AreaLevel Level, string Code, IReadOnlyList<string> Members)> Areas(IReadOnlyList<DisclosureLa> las)
    {
        yield return (AreaLevel.National, "E92000001", las.Select(l => l.Code).ToList());
        foreach (var region in las.GroupBy(l => l.RegionCode))
        {
            yield return (AreaLevel.Regional, region.Key, region.Select(l => l.Code).ToList());
        }

        foreach (var la in las)
        {
            yield return (AreaLevel.Neighbours, la.Code, la.Neighbours);
        }
    }

    /// <summary>QUARTILE.INC positions: the one or two LAs (0-based, sorted) that a statistic is computed from.</summary>
    private static (int Low, int High) Positions(int n, double p)
    {
        var h = (n - 1) * p;
        return ((int)Math.Floor(h), (int)Math.Ceiling(h));
    }

    private static readonly (SuppressedStatistics Bit, double P)[] Orders =
    [
        (SuppressedStatistics.Min, 0), (SuppressedStatistics.LowerQuartile, 0.25), (SuppressedStatistics.Median, 0.5),
        (SuppressedStatistics.UpperQuartile, 0.75), (SuppressedStatistics.Max, 1),
    ];

    /// <summary>LA codes numbered 0, 1, 2, ... in the order first met, so that arrays can be indexed by LA instead of looked up by string.</summary>
    private sealed class Numbering
    {
        private readonly Dictionary<string, int> numbers = new(StringComparer.Ordinal);

        public int Count => numbers.Count;

        /// <summary>The code's number, giving it the next one if it has none yet.</summary>
        public int Of(string code)
        {
            if (!numbers.TryGetValue(code, out var number))
            {
                numbers[code] = number = numbers.Count;
            }

            return number;
        }
    }

    /// <summary>
    /// The relations of one collection as a <see cref="DisclosureTable"/>, where each cell came from, and each area's LA
    /// values in order for its order statistics.
    /// </summary>
    internal sealed class Model
    {
        public DisclosureTable Table { get; } = new();
        private readonly List<(int Cell, DisclosureLaValue Value)> laCells = [];
        private readonly List<(int Cell, DisclosureAreaValue Area, SuppressedStatistics Bit)> areaCells = [];
        private readonly List<OrderedMeasure> ordered = [];
        private readonly string period;
        private readonly (AreaLevel Level, string Code)[] areas;

        private Model(string period, (AreaLevel Level, string Code)[] areas)
        {
            this.period = period;
            this.areas = areas;
        }

        /// <summary>
        /// A protected measure's LA values in each area (numbered as <see cref="areas"/>), sorted by value then LA code:
        /// area i's are <c>InOrder[Start[i]..Start[i + 1]]</c>. <see cref="AreaValue"/> is each area's row of the measure,
        /// if any. The order does not depend on the suppression flags, so protection and the audit share it; the flags
        /// are read each time it is used.
        /// </summary>
        private sealed record OrderedMeasure(string Key, DisclosureLaValue[] InOrder, int[] Start, DisclosureAreaValue?[] AreaValue);

        /// <summary>
        /// Order statistics (see the class comment): suppresses, when <paramref name="apply"/>, each one that would give a
        /// suppressed LA value away; otherwise reports each such statistic that is published (the audit).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void OrderStatistics(bool apply, List<Recovery> found)
        {
            for (var i = 0; i < areas.Length; i++)
            {
                var (level, code) = areas[i];
                foreach (var measure in ordered)
                {
                    var area = measure.AreaValue[i];
                    var n = measure.Start[i + 1] - measure.Start[i];
                    if (area is null || n == 0 || area.Suppressed.HasFlag(SuppressedStatistics.BelowCoverage))
                    {
                        continue;
                    }

                    var sorted = new ReadOnlySpan<DisclosureLaValue>(measure.InOrder, measure.Start[i], n);
                    foreach (var (bit, p) in Orders)
                    {
                        if (area.Suppressed.HasFlag(bit))
                        {
                            continue;
                        }

                        var (low, high) = Positions(n, p);
                        var (a, b) = (sorted[low], sorted[high]);

                        // A tie with a published LA: the statistic is that LA's figure, whoever sits at the position.
                        if (!(a.Suppressed || b.Suppressed) || (a.Value == b.Value && PublishedWithValueAt(sorted, low)))
                        {
                            continue;
                        }

                        if (apply)
                        {
                            area.Suppressed |= bit;
                        }
                        else
                        {
                            var hidden = a.Suppressed ? a : b;
                            found.Add(new Recovery(level == AreaLevel.Neighbours ? code : "public",
                                $"{period} {hidden.LaCode} {measure.Key}", hidden.Value!.Value, $"{bit} of {level} {code}"));
                        }
                    }
                }
            }
        }

        /// <summary>Whether a published LA has the value at <paramref name="at"/>: LAs with equal values sit next to each other in the order.</summary>
        private static bool PublishedWithValueAt(ReadOnlySpan<DisclosureLaValue> sorted, int at)
        {
            var value = sorted[at].Value;
            for (var i = at; i >= 0 && sorted[i].Value == value; i--)
            {
                if (!sorted[i].Suppressed)
                {
                    return true;
                }
            }

            for (var i = at + 1; i < sorted.Length && sorted[i].Value == value; i++)
            {
                if (!sorted[i].Suppressed)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Adds the cells whose hidden state in the table is not what the flags to be published say.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void FlagsDiffering(List<Recovery> found)
        {
            foreach (var (cell, value) in laCells)
            {
                if (Table.IsHidden(cell) != value.Suppressed)
                {
                    found.Add(new Recovery("public", $"{value.LaCode} {value.MeasureKey}", value.Value ?? 0, "suppression flag differs from the disclosure model"));
                }
            }

            foreach (var (cell, area, bit) in areaCells)
            {
                if (Table.IsHidden(cell) != ((area.Suppressed & bit) == bit))
                {
                    found.Add(new Recovery("public", $"{area.Level} {area.AreaCode} {area.MeasureKey}", 0, "suppression flag differs from the disclosure model"));
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void CopyHiddenBack()
        {
            foreach (var (cell, value) in laCells)
            {
                value.Suppressed = Table.IsHidden(cell);
            }

            foreach (var (cell, area, bit) in areaCells)
            {
                if (Table.IsHidden(cell))
                {
                    area.Suppressed |= bit;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static Model Build(DisclosureCollection c, IReadOnlyList<DisclosureLa> las, IEnumerable<DisclosureLaValue> laValues, IEnumerable<DisclosureAreaValue> areaValues)
        {
            var period = c.Period;
            var areaList = Areas(las).ToList();
            var model = new Model(period, [.. areaList.Select(a => (a.Level, a.Code))]);
            var t = model.Table;
            var audience = las.ToDictionary(l => l.Code, l => t.AddAudience(l.Code), StringComparer.Ordinal);

            // Cells are found by (LA, measure) index pairs, not by string pairs: an area's members are looked up for each
            // of its measures (about 100,000 look-ups a year). Measures are numbered as listed (their keys are unique).
            var measureAt = c.Measures.Select((m, i) => (m.MeasureKey, i)).ToDictionary(x => x.MeasureKey, x => x.i, StringComparer.Ordinal);
            int MeasureNumber(string? key) => key is not null && measureAt.TryGetValue(key, out var i) ? i : -1;

            // The listed LAs are numbered first, 0, 1, ... in list order (their codes are unique), so an LA's number is
            // its place in the list and its audience's place in audienceOf; then any other LA with a value.
            var laAt = new Numbering();
            var audienceOf = new List<int>(las.Count);
            foreach (var la in las)
            {
                laAt.Of(la.Code);
                audienceOf.Add(audience[la.Code]);
            }

            // Each LA value with a figure, its measure and the numbers of both, looked up once.
            var values = new List<(DisclosureLaValue Value, MeasureSpec Measure, int M, int La)>();
            foreach (var v in laValues)
            {
                if (v.State == ValueState.Value && v.Value is not null && measureAt.TryGetValue(v.MeasureKey, out var m))
                {
                    values.Add((v, c.Measures[m], m, laAt.Of(v.LaCode)));
                }
            }

            var memberIndexes = areaList.Select(a => a.Members.Select(laAt.Of).ToArray()).ToArray();
            var cellAt = new int[measureAt.Count][];
            for (var i = 0; i < cellAt.Length; i++)
            {
                cellAt[i] = new int[laAt.Count];
                Array.Fill(cellAt[i], -1);
            }

            // Each protected measure's values with their LA numbers, for the order statistics.
            var ofMeasure = new List<(DisclosureLaValue Value, int La)>[measureAt.Count];
            foreach (var (v, m, mi, la) in values)
            {
                var owner = la < audienceOf.Count ? audienceOf[la] : DisclosureTable.NoOwner;
                var name = Name(period, v.LaCode, v.MeasureKey);
                var cell = m.Kind switch
                {
                    nameof(MeasureKind.Count) => t.AddCell(name, v.Value!.Value, v.Suppressed, (double)v.Value!.Value, owner),
                    nameof(MeasureKind.Indicator) => t.AddCell(name, v.Value!.Value, v.Suppressed, 0.1, owner),
                    _ => t.AddCell(name, v.Value!.Value, false, double.PositiveInfinity, owner),
                };
                cellAt[mi][la] = cell;
                if (m.Kind != nameof(MeasureKind.Decimal))
                {
                    model.laCells.Add((cell, v));
                    (ofMeasure[mi] ??= []).Add((v, la));
                }
            }

            int? Cell(int la, int measure) => measure >= 0 && cellAt[measure][la] is var x and >= 0 ? x : null;

            // Each LA's rates, and a public population cell for rates per head of population.
            var population = new Dictionary<(int La, string Key), int>();
            var ratioNames = new string?[c.Measures.Count];
            foreach (var (v, m, mi, la) in values)
            {
                if (m.Kind != nameof(MeasureKind.Indicator) || Cell(la, MeasureNumber(m.Numerator)) is not { } num)
                {
                    continue;
                }

                int? den = null;
                if (m.Denominator is null || measureAt.ContainsKey(m.Denominator))
                {
                    den = Cell(la, MeasureNumber(m.Denominator));
                }
                else if (v.Denominator is { } pop)
                {
                    if (!population.TryGetValue((la, m.Denominator), out var cell))
                    {
                        cell = t.AddCell(Name(period, v.LaCode, m.Denominator), pop, false, double.PositiveInfinity, isProtected: false);
                        population[(la, m.Denominator)] = cell;
                    }

                    den = cell;
                }

                if (den is not null)
                {
                    t.AddRatio(Name(period, v.LaCode, ratioNames[mi] ??= $"{m.MeasureKey} = {m.Numerator} / {m.Denominator}"), cellAt[mi][la], num, den.Value, m.Multiplier ?? 1m);
                }
            }

            // Within each LA's return: grids add up to their total, and the definition's sum rules.
            var rowRelations = c.Definition.Questions.Where(q => q.Grid?.TotalOf is not null)
                .Select(q => (Name: $"{q.Key} adds up to {q.Grid!.TotalOf}", Total: q.Grid!.TotalOf!, Terms: (IReadOnlyList<string>)q.Grid.CellKeys(q.Key).ToList()))
                .Concat(SumRules(c.Definition).Select(r => (Name: $"rule {r.Rule}", r.Total, r.Terms)))
                .Select(r => (r.Name, Total: MeasureNumber(r.Total), Terms: r.Terms.Select(MeasureNumber).ToArray()))
                .ToList();
            for (var la = 0; la < las.Count; la++)
            {
                foreach (var (name, total, terms) in rowRelations)
                {
                    if (Cell(la, total) is not { } totalCell)
                    {
                        continue;
                    }

                    var termCells = new int[terms.Length];
                    var all = true;
                    for (var i = 0; i < terms.Length && all; i++)
                    {
                        if (Cell(la, terms[i]) is { } termCell)
                        {
                            termCells[i] = termCell;
                        }
                        else
                        {
                            all = false;
                        }
                    }

                    if (all)
                    {
                        t.AddSum(Name(period, las[la].Code, name), totalCell, termCells);
                    }
                }
            }

            // Areas: totals of counts; rates and means of indicators.
            var rowOf = AreaRows(areaList, measureAt, areaValues);
            var aggregated = c.Measures.Select((m, i) => (M: m, Number: i)).Where(x => x.M.Kind != nameof(MeasureKind.Decimal)).ToList();
            var memberCells = new List<int>();
            var reportingLas = new List<int>();
            for (var ai = 0; ai < areaList.Count; ai++)
            {
                var (level, code, members) = areaList[ai];
                var indexes = memberIndexes[ai];
                var visibleTo = level == AreaLevel.Neighbours ? audience[code] : DisclosureTable.Public;
                var cost = level switch { AreaLevel.National => EnglandCost, AreaLevel.Regional => RegionCost, _ => NeighbourCost };
                var indicatorCost = level == AreaLevel.Neighbours ? NeighbourCost : IndicatorAreaCost;
                foreach (var (m, mi) in aggregated)
                {
                    // An area below coverage shows none of its aggregates (x), so it gives a reader nothing.
                    if (rowOf[mi][ai] is not { } area || area.ReportingCount == 0
                        || area.Suppressed.HasFlag(SuppressedStatistics.BelowCoverage))
                    {
                        continue;
                    }

                    var byLa = cellAt[mi];
                    memberCells.Clear();
                    reportingLas.Clear();
                    for (var i = 0; i < indexes.Length; i++)
                    {
                        if (byLa[indexes[i]] >= 0)
                        {
                            memberCells.Add(byLa[indexes[i]]);
                            reportingLas.Add(indexes[i]);
                        }
                    }

                    var where = (period, level, code, m.MeasureKey);

                    // An aggregate of one LA's figures alone is that LA's own: working it out tells it nothing new.
                    var owner = reportingLas.Count == 1 ? audience.GetValueOrDefault(members[Array.IndexOf(indexes, reportingLas[0])], DisclosureTable.NoOwner) : DisclosureTable.NoOwner;
                    if (m.Kind == nameof(MeasureKind.Count) && area.Total is { } total)
                    {
                        // A cell and the relation that defines it share one name (one delegate).
                        Func<string> name = () => $"{where.period} {where.level} {where.code} {where.MeasureKey} total";
                        var cell = t.AddCell(name, total, area.Suppressed.HasFlag(SuppressedStatistics.Total), cost, owner, visibleTo);
                        model.areaCells.Add((cell, area, SuppressedStatistics.Total | SuppressedStatistics.Mean));
                        t.AddSum(name, cell, [.. memberCells]);
                        continue;
                    }

                    if (m.Kind != nameof(MeasureKind.Indicator))
                    {
                        continue;
                    }

                    if (area.Mean is { } mean)
                    {
                        var cell = t.AddCell(() => $"{where.period} {where.level} {where.code} {where.MeasureKey} mean", mean * area.ReportingCount, area.Suppressed.HasFlag(SuppressedStatistics.Mean), indicatorCost, owner, visibleTo);
                        model.areaCells.Add((cell, area, SuppressedStatistics.Mean));
                        t.AddSum(() => $"{where.period} {where.level} {where.code} {where.MeasureKey} mean x LAs", cell, [.. memberCells]);
                    }

                    if (area.Rate is { } rate && area.NumeratorTotal is { } n && area.DenominatorTotal is { } d && m.Numerator is not null && m.Denominator is not null)
                    {
                        Func<string> name = () => $"{where.period} {where.level} {where.code} {where.MeasureKey} rate";
                        var cell = t.AddCell(name, rate, area.Suppressed.HasFlag(SuppressedStatistics.Rate), indicatorCost, owner, visibleTo);
                        model.areaCells.Add((cell, area, SuppressedStatistics.Rate));
                        Func<string> numeratorName = () => $"{where.period} {where.level} {where.code} {where.MeasureKey} summed numerator";
                        var numerator = t.AddUnshownCell(numeratorName, n);
                        var numerators = MeasureNumber(m.Numerator) is var ni and >= 0 ? cellAt[ni] : null;
                        t.AddSum(numeratorName, numerator, Reporting(numerators));
                        int denominator;
                        if (MeasureNumber(m.Denominator) is var di and >= 0)
                        {
                            Func<string> denominatorName = () => $"{where.period} {where.level} {where.code} {where.MeasureKey} summed denominator";
                            denominator = t.AddUnshownCell(denominatorName, d);
                            t.AddSum(denominatorName, denominator, Reporting(cellAt[di]));
                        }
                        else
                        {
                            // Population: published by ONS, so known to every reader.
                            denominator = t.AddCell(() => $"{where.period} {where.level} {where.code} {where.MeasureKey} population", d, false, double.PositiveInfinity, isProtected: false);
                        }

                        t.AddRatio(name, cell, numerator, denominator, m.Multiplier ?? 1m);
                    }
                }
            }

            // Each LA's areas (an area listing an LA twice has it twice), for dealing each measure's values out to areas.
            var areasOf = new List<int>?[laAt.Count];
            for (var area = 0; area < memberIndexes.Length; area++)
            {
                foreach (var la in memberIndexes[area])
                {
                    (areasOf[la] ??= []).Add(area);
                }
            }

            foreach (var (m, mi) in aggregated)
            {
                model.ordered.Add(InOrder(m.MeasureKey, ofMeasure[mi] ?? [], areasOf, rowOf[mi]));
            }

            return model;

            // The cells of the LAs reporting the measure (those with a cell of it), for another measure of theirs.
            int[] Reporting(int[]? byLa)
            {
                if (byLa is null)
                {
                    return [];
                }

                var count = 0;
                foreach (var la in reportingLas)
                {
                    count += byLa[la] >= 0 ? 1 : 0;
                }

                var found = new int[count];
                count = 0;
                foreach (var la in reportingLas)
                {
                    if (byLa[la] >= 0)
                    {
                        found[count++] = byLa[la];
                    }
                }

                return found;
            }
        }

        /// <summary>A cell's or relation's name, made only if a leak is described.</summary>
        private static Func<string> Name(string period, string subject, string what) => () => $"{period} {subject} {what}";

        /// <summary>
        /// Each area's row of each measure (null: none), by measure number and area number (its place in
        /// <paramref name="areaList"/>). Rows of other measures or areas are not used.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static DisclosureAreaValue?[][] AreaRows(List<(AreaLevel Level, string Code, IReadOnlyList<string> Members)> areaList,
            Dictionary<string, int> measureAt, IEnumerable<DisclosureAreaValue> areaValues)
        {
            var areaAt = new Dictionary<(AreaLevel, string), int>();
            for (var i = 0; i < areaList.Count; i++)
            {
                areaAt[(areaList[i].Level, areaList[i].Code)] = i;
            }

            var rows = new DisclosureAreaValue?[measureAt.Count][];
            for (var m = 0; m < rows.Length; m++)
            {
                rows[m] = new DisclosureAreaValue?[areaList.Count];
            }

            foreach (var a in areaValues)
            {
                if (measureAt.TryGetValue(a.MeasureKey, out var m) && areaAt.TryGetValue((a.Level, a.AreaCode), out var i))
                {
                    if (rows[m][i] is not null)
                    {
                        throw new ArgumentException($"Two rows of {a.MeasureKey} for {a.Level} {a.AreaCode}.", nameof(areaValues));
                    }

                    rows[m][i] = a;
                }
            }

            return rows;
        }

        /// <summary>
        /// A measure's values sorted once (by value, then LA code ordinal; as OrderBy, equal ones stay in the order
        /// given), then dealt out in that order to every area their LA is in, so each area's come out sorted with no sort
        /// per area (~160 areas). An LA with two values of the measure counts with the later in the order, as an area
        /// listing an LA twice counts it twice.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static OrderedMeasure InOrder(string key, List<(DisclosureLaValue Value, int La)> values, List<int>?[] areasOf,
            DisclosureAreaValue?[] areaValue)
        {
            var keys = new (decimal Value, string LaCode, int At)[values.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = (values[i].Value.Value!.Value, values[i].Value.LaCode, i);
            }

            Array.Sort(keys, static (x, y) =>
            {
                var byValue = x.Value.CompareTo(y.Value);
                if (byValue != 0)
                {
                    return byValue;
                }

                var byCode = string.CompareOrdinal(x.LaCode, y.LaCode);
                return byCode != 0 ? byCode : x.At.CompareTo(y.At);
            });

            var order = new int[keys.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = keys[i].At;
            }

            var lastPlace = new int[areasOf.Length];
            for (var i = 0; i < order.Length; i++)
            {
                lastPlace[values[order[i]].La] = i;
            }

            // How many values each area gets, then the values dealt out.
            var start = new int[areaValue.Length + 1];
            for (var i = 0; i < order.Length; i++)
            {
                var la = values[order[i]].La;
                if (lastPlace[la] == i && areasOf[la] is { } inAreas)
                {
                    foreach (var area in inAreas)
                    {
                        start[area + 1]++;
                    }
                }
            }

            for (var area = 0; area < areaValue.Length; area++)
            {
                start[area + 1] += start[area];
            }

            var inOrder = new DisclosureLaValue[start[^1]];
            var next = start[..^1];
            for (var i = 0; i < order.Length; i++)
            {
                var la = values[order[i]].La;
                if (lastPlace[la] == i && areasOf[la] is { } inAreas)
                {
                    foreach (var area in inAreas)
                    {
                        inOrder[next[area]++] = values[order[i]].Value;
                    }
                }
            }

            return new OrderedMeasure(key, inOrder, start, areaValue);
        }
    }
}
