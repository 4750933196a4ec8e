using System.Globalization;
using System.Runtime.CompilerServices;

namespace FgcReturns.Core.Benchmarks;

/// <summary>A suppressed value that a reader can work out from the figures they are given.</summary>
/// <param name="Audience">"public", or the LA code whose own outputs (its own figures and its neighbour group) were used.</param>
/// <param name="Cell">The suppressed cell, e.g. "2024-25 887 families_accepted".</param>
/// <param name="Value">The value worked out.</param>
/// <param name="Relation">The relation whose only unknown it was.</param>
public sealed record Recovery(string Audience, string Cell, decimal Value, string Relation)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Audience}: {Cell} = {Value} from {Relation}");
}

/// <summary>
/// Published and suppressed cells and the linear relations a reader knows between them (a total is the sum of its
/// parts; a rate is numerator / denominator x multiplier). <see cref="Audit"/> does what a reader would: starting from
/// the cells an audience is given, it solves every relation with exactly one unknown, repeatedly, and reports each
/// suppressed value it recovers. <see cref="SuppressComplements"/> is the secondary suppression: while anything is
/// recoverable, it hides one more published cell of the relation that gave it away, the cheapest first.
/// Pure and in memory: the build fills it from its own rows; tests fill it by hand.
/// </summary>
public sealed class DisclosureTable
{
    /// <summary>The public audience (open data and the suppressed national workbook).</summary>
    public const int Public = -1;

    /// <summary>A cell no LA owns (an area figure).</summary>
    public const int NoOwner = -2;

    private readonly List<Cell> cells = [];
    private readonly List<Relation> relations = [];
    private readonly List<string> audienceNames = [];
    private int[][]? memberOf;

    /// <summary>Per relation, the audience its figure is shown to alone, or <see cref="Public"/> (made with <see cref="memberOf"/>).</summary>
    private int[]? restrictedTo;

    private sealed class Cell
    {
        /// <summary>The name, or what makes it (<see cref="Func{TResult}"/>): names are only needed for a leak, and
        /// formatting one for each of the ~20,000 cells of a year was a large part of building the table.</summary>
        public required object NameSource { get; init; }
        public string Name => NameSource as string ?? ((Func<string>)NameSource)();
        public decimal Value { get; init; }
        public bool Hidden { get; set; }

        /// <summary>A suppressed figure that must not be recovered (auxiliary sums never shown are not protected).</summary>
        public bool Protected { get; set; }
        public bool Secondary { get; set; }
        public int Owner { get; init; } = NoOwner;
        public int VisibleOnlyTo { get; init; } = Public;
        public double Cost { get; init; }
    }

    private sealed record Relation(object NameSource, bool IsRatio, int Result, int[] Terms, decimal Multiplier)
    {
        public string Name => NameSource as string ?? ((Func<string>)NameSource)();

        /// <summary>Result first, then the terms.</summary>
        public int[] Cells { get; } = [Result, .. Terms];
    }

    public int CellCount => cells.Count;


    /// <summary>Registers an audience (an LA) that sees public cells, its own cells and cells visible only to it.</summary>
    public int AddAudience(string name)
    {
        byAudienceCache = null;
        audienceNames.Add(name);
        return audienceNames.Count - 1;
    }

    /// <summary>
    /// A cell. <paramref name="cost"/> orders complements (lowest hidden first); <see cref="double.PositiveInfinity"/>
    /// never becomes a complement. <paramref name="owner"/> always knows the cell (its own figure).
    /// <paramref name="visibleOnlyTo"/> is shown only to that audience (e.g. an LA's neighbour-group total).
    /// </summary>
    public int AddCell(string name, decimal value, bool hidden, double cost, int owner = NoOwner, int visibleOnlyTo = Public, bool isProtected = true) =>
        AddCellNamed(name, value, hidden, cost, owner, visibleOnlyTo, isProtected);

    /// <summary>As <see cref="AddCell(string, decimal, bool, double, int, int, bool)"/>, the name made only if a leak needs it.</summary>
    public int AddCell(Func<string> name, decimal value, bool hidden, double cost, int owner = NoOwner, int visibleOnlyTo = Public, bool isProtected = true) =>
        AddCellNamed(name, value, hidden, cost, owner, visibleOnlyTo, isProtected);

    private int AddCellNamed(object name, decimal value, bool hidden, double cost, int owner, int visibleOnlyTo, bool isProtected)
    {
        memberOf = null;
        buffers = null;
        byAudienceCache = null;
        protectedSinceRates = null;
        cells.Add(new Cell { NameSource = name, Value = value, Hidden = hidden, Protected = hidden && isProtected, Owner = owner, VisibleOnlyTo = visibleOnlyTo, Cost = cost });
        return cells.Count - 1;
    }

    /// <summary>A cell no reader is shown and that is not itself protected (e.g. an area's summed numerator behind its rate).</summary>
    public int AddUnshownCell(string name, decimal value) => AddCellNamed(name, value, hidden: true, double.PositiveInfinity, NoOwner, Public, isProtected: false);

    /// <inheritdoc cref="AddUnshownCell(string, decimal)"/>
    public int AddUnshownCell(Func<string> name, decimal value) => AddCellNamed(name, value, hidden: true, double.PositiveInfinity, NoOwner, Public, isProtected: false);

    /// <summary><paramref name="total"/> = the sum of <paramref name="terms"/>.</summary>
    public void AddSum(string name, int total, IReadOnlyCollection<int> terms) => AddSumNamed(name, total, terms);

    /// <inheritdoc cref="AddSum(string, int, IReadOnlyCollection{int})"/>
    public void AddSum(Func<string> name, int total, IReadOnlyCollection<int> terms) => AddSumNamed(name, total, terms);

    private void AddSumNamed(object name, int total, IReadOnlyCollection<int> terms)
    {
        memberOf = null;
        buffers = null;
        relations.Add(new Relation(name, false, total, [.. terms], 1m));
    }

    /// <summary><paramref name="rate"/> = <paramref name="numerator"/> / <paramref name="denominator"/> x multiplier.</summary>
    public void AddRatio(string name, int rate, int numerator, int denominator, decimal multiplier) => AddRatioNamed(name, rate, numerator, denominator, multiplier);

    /// <inheritdoc cref="AddRatio(string, int, int, int, decimal)"/>
    public void AddRatio(Func<string> name, int rate, int numerator, int denominator, decimal multiplier) => AddRatioNamed(name, rate, numerator, denominator, multiplier);

    private void AddRatioNamed(object name, int rate, int numerator, int denominator, decimal multiplier)
    {
        memberOf = null;
        buffers = null;
        relations.Add(new Relation(name, true, rate, [numerator, denominator], multiplier));
    }

    public bool IsHidden(int cell) => cells[cell].Hidden;

    public bool IsSecondary(int cell) => cells[cell].Secondary;

    public int HiddenCount => cells.Count(c => c.Hidden && c.Protected);

    public int SecondaryCount => cells.Count(c => c.Secondary);

    /// <summary>How many LA eliminations the audits have run (the work secondary suppression saves by re-auditing few LAs).</summary>
    internal int LaAudits { get; private set; }

    /// <summary>Every suppressed value recoverable by the public or by any registered audience.</summary>
    public IReadOnlyList<Recovery> Audit()
    {
        buffers = null; // the public's starting point recounted from the cells, not carried from secondary suppression
        return [.. Leaks().Select(Describe)];
    }

    /// <summary>
    /// Secondary suppression: while anything is recoverable, hide for each leak one more cell of the relation that gave
    /// it away (one the audience is shown and does not own), then audit again. The complement is the one that hides
    /// least in the end: its own cost plus <see cref="CascadePenalty"/> for every complement that hiding it would in turn
    /// require in the other relations it is in (a cell whose other relations already hide two or more cells is free to
    /// hide; one whose other relations hide nothing starts a cascade). At most one complement per relation per round,
    /// so the audiences that all see the same leak do not each hide a cell for it.
    /// Returns what is still recoverable (nothing, unless no complement was possible).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<Recovery> SuppressComplements(int maxRounds = 1000)
    {
        HashSet<int>? only = null;
        knowledge = new Knowledge(cells.Count, audienceNames.Count);
        var pending = new List<int>();
        var lastComplements = new List<int>();
        for (var round = 0; round < maxRounds; round++)
        {
            var derived = HideRatesOfHiddenCounts();
            if (only is not null)
            {
                // The complements of the last round and the rates hidden with them, together: an LA could work out a
                // complement from its rate only while that rate was shown.
                pending.AddRange(derived);
            }

            var leaks = Leaks(only, knowledge, only is null ? null : pending, withValues: false);
            if (needSummaries.Length != relations.Count)
            {
                needSummaries = new NeedSummary?[relations.Count];
                summarised = new bool[relations.Count];
                changedAt = new int[relations.Count];
                changedInRound = 0;
            }

            KeepSummariesStillTrue(derived, lastComplements);
            lastComplements.Clear();

            if (leaks.Count == 0)
            {
                if (only is null)
                {
                    return [];
                }

                only = null; // nothing left among the audiences re-audited: confirm with every audience
                continue;
            }

            var hid = false;
            var hiddenNow = new List<int>();
            changedInRound++;
            foreach (var leak in FirstRootLeakPerRelation(leaks))
            {
                if (changedAt[leak.Relation] == changedInRound && Need(leak.Relation, -1) == 0)
                {
                    continue; // a complement hidden this round already closed it
                }

                if (ChooseComplement(leak) is { } c && !cells[c].Hidden)
                {
                    foreach (var r in MemberOf()[c])
                    {
                        SummaryChange(r, c, -1);
                    }

                    Hide(c);
                    cells[c].Protected = true;
                    cells[c].Secondary = true;
                    protectedSinceRates?.Add(c);
                    publicKnown![c] = false;
                    hiddenNow.Add(c);
                    foreach (var r in MemberOf()[c])
                    {
                        changedAt[r] = changedInRound;
                        SummaryChange(r, c, +1);
                    }

                    hid = true;
                }
            }

            if (!hid)
            {
                // Nothing was hidden since: the same audit again gives the same leaks, now with their values.
                return [.. Leaks(only).Select(Describe)];
            }

            // The next round re-audits, besides the public, only the LAs that had a leak or that could now work out a
            // cell hidden since their last audit; a round that finds nothing among them is followed by a full audit.
            only = [.. leaks.Select(l => l.Audience).Where(a => a >= 0)];
            pending = hiddenNow;
            lastComplements.AddRange(hiddenNow);
        }

        knowledge = null;
        return Audit();
    }

    /// <summary>
    /// Marks for summarising again only the relations whose summary may have changed since the last round: those of
    /// a cell whose place in the public's closure changed (hiding complements closes ways to cells), those of the
    /// complements hidden last round (counted as unknown to the public as they were hidden, see <see cref="SummaryChange"/>,
    /// which the public may still work out) and those of the rates hidden at the round's start (<paramref name="derived"/>).
    /// Every other summary still counts what summarising would; summarising every relation a candidate is in, every
    /// round, was a large part of choosing complements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KeepSummariesStillTrue(List<int> derived, List<int> lastComplements)
    {
        var publicAt = knowledge!.PublicAt;
        if (publicAt.Count < 2)
        {
            Array.Clear(summarised);
            return;
        }

        var (before, now, index) = (publicAt[^2], publicAt[^1], MemberOf());
        for (var c = 0; c < now.Length; c++)
        {
            if (before[c] != now[c])
            {
                Forget(c);
            }
        }

        foreach (var c in derived)
        {
            Forget(c);
        }

        foreach (var c in lastComplements)
        {
            Forget(c);
        }

        void Forget(int cell)
        {
            foreach (var r in index[cell])
            {
                summarised[r] = false;
            }
        }
    }

    /// <summary>Per relation, the round of complement choice (<see cref="changedInRound"/>) that last hid one of its cells.</summary>
    private int[] changedAt = [];
    private int changedInRound;

    /// <summary>Each round's leaks to fix, reused.</summary>
    private readonly List<Leak> toFix = [];

    /// <summary>What <see cref="FirstRootLeakPerRelation"/> has taken this round: a relation (the public's) or an audience and relation.</summary>
    private readonly HashSet<long> taken = [];

    /// <summary>
    /// The first root leak of each audience and relation, the public's first, each in the order found: the leaks
    /// secondary suppression fixes, one complement each (the leaks are many, so no LINQ grouping).
    /// </summary>
    private List<Leak> FirstRootLeakPerRelation(List<Leak> leaks)
    {
        toFix.Clear();
        taken.Clear();
        Take(publicOnes: true);
        Take(publicOnes: false);
        return toFix;

        void Take(bool publicOnes)
        {
            foreach (var leak in leaks)
            {
                if (leak.Root && (leak.Audience == Public) == publicOnes && taken.Add(((long)leak.Audience << 32) | (uint)leak.Relation))
                {
                    toFix.Add(leak);
                }
            }
        }
    }

    /// <summary>What each LA knew at its last audit of secondary suppression, to re-audit only those a new complement concerns.</summary>
    private Knowledge? knowledge;

    /// <summary>
    /// Each LA's knowledge at its last audit (the public's closure then, and the cells it alone knew beyond it: its own,
    /// those shown only to it, and what it worked out from them), so that a round re-audits only the LAs that could now
    /// have a leak. Hiding a cell only ever shrinks what a reader can work out.
    /// </summary>
    private sealed class Knowledge(int cellCount, int audienceCount)
    {
        /// <summary>The audit each LA was last audited in (an index into <see cref="PublicAt"/>).</summary>
        public int[] AuditedAt { get; } = new int[audienceCount];

        /// <summary>The public's closure after each audit.</summary>
        public List<bool[]> PublicAt { get; } = [];

        /// <summary>Whether the protected cells in the public's closure after each audit have been tested yet.</summary>
        public List<bool> PublicTested { get; } = [];

        /// <summary>Each LA's cells beyond the public's closure at its last audit.</summary>
        public List<int>[] Private { get; } = [.. Enumerable.Range(0, audienceCount).Select(_ => new List<int>())];

        /// <summary>Words of <see cref="Knowers"/> per cell (one bit per LA).</summary>
        public int Words { get; } = (audienceCount + 63) >> 6;

        /// <summary>Per cell, the LAs whose <see cref="Private"/> holds it, as a bit set of <see cref="Words"/> words from
        /// cell x <see cref="Words"/> (a list per cell was a tenth of secondary suppression: removing an LA shifted it).</summary>
        public ulong[] Knowers { get; } = new ulong[(long)cellCount * ((audienceCount + 63) >> 6)];

        /// <summary>Per last-audit group, protected cells not tested because the public worked them out: tested again next time.</summary>
        public Dictionary<int, List<int>> Deferred { get; } = [];

        /// <summary>Per cell hidden during secondary suppression, the last audit before it was hidden (else -1).</summary>
        public int[] HiddenAfter { get; } = [.. Enumerable.Repeat(-1, cellCount)];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Record(int audience, List<int> learnt)
        {
            AuditedAt[audience] = PublicAt.Count - 1;
            var (word, bit) = (audience >> 6, 1UL << (audience & 63));
            foreach (var c in Private[audience])
            {
                Knowers[(c * Words) + word] &= ~bit;
            }

            Private[audience].Clear();
            Private[audience].AddRange(learnt);
            foreach (var c in learnt)
            {
                Knowers[(c * Words) + word] |= bit;
            }
        }
    }

    /// <summary>
    /// Adds the LAs (not yet in <paramref name="audiences"/>) that could now work out a protected cell they do not own,
    /// given the cells <paramref name="hidden"/> since the last audit. Take an LA that had no leak at its last audit n.
    /// A protected cell it works out now is either hidden since n, or was protected at n and in the public's closure
    /// then (else it was beyond the LA's knowledge then, or it was a leak of the LA's). Consider the first protected
    /// cell not its own that it works out: the other cells of the relation it comes from are known to the LA at that
    /// point, so none is protected unless the LA owns it, and each was known at n (in the public's closure then, or
    /// among the cells the LA alone knew). An LA for which no such cell has such a relation has no leak now; the test
    /// is necessary, not sufficient, so no LA that could leak is left out. Each cell is tested once against each
    /// group of LAs last audited together: cells protected later only make the test harder to pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddAudiencesThatCouldWorkOut(List<int> hidden, HashSet<int> audiences, bool[] publicNow)
    {
        var k = knowledge!;
        var audited = new bool[k.PublicAt.Count];
        for (var a = 0; a < k.AuditedAt.Length; a++)
        {
            if (!audiences.Contains(a))
            {
                audited[k.AuditedAt[a]] = true;
            }
        }

        var index = MemberOf();
        var candidates = new List<int>();

        // Sets of LAs as bit sets (a HashSet per cell and relation tested was most of what this allocated).
        Span<ulong> who = stackalloc ulong[k.Words];
        Span<ulong> could = stackalloc ulong[k.Words];
        for (var n = 0; n < audited.Length; n++)
        {
            if (!audited[n])
            {
                continue;
            }

            var publicThen = k.PublicAt[n];
            candidates.Clear();
            candidates.AddRange(hidden);
            if (k.Deferred.Remove(n, out var deferred))
            {
                candidates.AddRange(deferred);
            }

            if (!k.PublicTested[n])
            {
                k.PublicTested[n] = true;
                for (var c = 0; c < cells.Count; c++)
                {
                    if (publicThen[c] && cells[c].Protected && k.HiddenAfter[c] < n)
                    {
                        candidates.Add(c);
                    }
                }
            }

            foreach (var y in candidates)
            {
                if (publicNow[y])
                {
                    // The public works it out now, so it is no LA's leak now; it may be later, once complements close
                    // the public's way to it.
                    if (!k.Deferred.TryGetValue(n, out var later))
                    {
                        k.Deferred[n] = later = [];
                    }

                    later.Add(y);
                    continue;
                }

                foreach (var r in index[y])
                {
                    // Who could know every other cell of the relation before working out y (anyone, or those in who).
                    var anyone = true;
                    foreach (var x in relations[r].Cells)
                    {
                        if (x != y && !publicNow[x] && !KnownBefore(x, y, r, publicThen, k, could))
                        {
                            if (anyone)
                            {
                                could.CopyTo(who);
                                anyone = false;
                            }
                            else
                            {
                                Intersect(who, could);
                            }

                            if (IsEmpty(who))
                            {
                                break;
                            }
                        }
                    }

                    var owns = cells[y].Owner;
                    if (anyone)
                    {
                        for (var a = 0; a < k.AuditedAt.Length; a++)
                        {
                            if (k.AuditedAt[a] == n && owns != a)
                            {
                                audiences.Add(a);
                            }
                        }

                        continue;
                    }

                    for (var w = 0; w < who.Length; w++)
                    {
                        for (var bits = who[w]; bits != 0; bits &= bits - 1)
                        {
                            var a = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                            if (k.AuditedAt[a] == n && owns != a)
                            {
                                audiences.Add(a);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether anyone could know <paramref name="x"/> before working out any protected cell they do not own; if not,
    /// the LAs that could, in <paramref name="could"/> (a bit set). Shown to everyone: anyone. Protected: its owner.
    /// Shown to one LA: that LA, or any LA that could work it out from another relation than <paramref name="via"/>
    /// whose other cells it could know (judged by what it knew at its last audit; <paramref name="y"/> is not known yet).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool KnownBefore(int x, int y, int via, bool[] publicThen, Knowledge k, Span<ulong> could, bool deeper = true)
    {
        var cell = cells[x];
        could.Clear();
        if (cell.Protected)
        {
            if (cell.Owner >= 0)
            {
                Add(could, cell.Owner);
            }

            return false;
        }

        if (!cell.Hidden && cell.VisibleOnlyTo == Public)
        {
            return true;
        }

        if (!cell.Hidden && cell.VisibleOnlyTo >= 0)
        {
            Add(could, cell.VisibleOnlyTo);
        }

        if (!deeper)
        {
            // Known at the last audit: in the public's closure then (anyone), or to the LAs that alone knew it.
            if (publicThen[x])
            {
                return true;
            }

            Union(could, k.Knowers.AsSpan(x * k.Words, k.Words));

            return false;
        }

        Span<ulong> who = stackalloc ulong[could.Length];
        Span<ulong> known = stackalloc ulong[could.Length];
        foreach (var s in MemberOf()[x])
        {
            if (s == via)
            {
                continue;
            }

            var anyone = true;
            var none = false;
            foreach (var z in relations[s].Cells)
            {
                if (z == x)
                {
                    continue;
                }

                if (z == y)
                {
                    none = true;
                    break;
                }

                if (!KnownBefore(z, y, s, publicThen, k, known, deeper: false))
                {
                    if (anyone)
                    {
                        known.CopyTo(who);
                        anyone = false;
                    }
                    else
                    {
                        Intersect(who, known);
                    }

                    if (IsEmpty(who))
                    {
                        none = true;
                        break;
                    }
                }
            }

            if (none)
            {
                continue;
            }

            if (anyone)
            {
                return true;
            }

            Union(could, who);
        }

        return false;
    }

    private static void Add(Span<ulong> set, int member) => set[member >> 6] |= 1UL << (member & 63);

    private static void Intersect(Span<ulong> set, ReadOnlySpan<ulong> other)
    {
        for (var w = 0; w < set.Length; w++)
        {
            set[w] &= other[w];
        }
    }

    private static void Union(Span<ulong> set, ReadOnlySpan<ulong> other)
    {
        for (var w = 0; w < set.Length; w++)
        {
            set[w] |= other[w];
        }
    }

    private static bool IsEmpty(ReadOnlySpan<ulong> set) => set.IndexOfAnyExcept(0UL) < 0;

    /// <summary>
    /// The derived-statistic rule for rates: a rate whose numerator or denominator is suppressed is suppressed too
    /// (it is "computed from" it), rather than hiding its other operand.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<int> HideRatesOfHiddenCounts()
    {
        var hidden = new List<int>();
        var index = MemberOf();
        var candidates = rateCandidates;
        candidates.Clear();
        if (protectedSinceRates is null)
        {
            for (var r = 0; r < relations.Count; r++)
            {
                candidates.Add(r);
            }
        }
        else
        {
            foreach (var c in protectedSinceRates)
            {
                candidates.AddRange(index[c]);
            }

            candidates.Sort();
        }

        var next = protectedSinceRates ?? [];
        next.Clear();
        for (var i = 0; i < candidates.Count; i++)
        {
            var r = candidates[i];
            if (i > 0 && candidates[i - 1] == r)
            {
                continue;
            }

            var relation = relations[r];
            var rate = cells[relation.Result];
            if (relation.IsRatio && !rate.Hidden && !double.IsPositiveInfinity(rate.Cost)
                && (IsProtectedAndHidden(relation.Terms[0]) || IsProtectedAndHidden(relation.Terms[1])))
            {
                Hide(relation.Result);
                rate.Protected = true;
                rate.Secondary = true;
                hidden.Add(relation.Result);
                next.Add(relation.Result);
            }
        }

        // Only a cell protected since this ran can make another rate "computed from" a suppressed figure.
        protectedSinceRates = next;
        return hidden;

        bool IsProtectedAndHidden(int cell) => cells[cell].Hidden && cells[cell].Protected;
    }

    /// <summary>HideRatesOfHiddenCounts' relations to look at, reused.</summary>
    private readonly List<int> rateCandidates = [];

    /// <summary>Cells protected since <see cref="HideRatesOfHiddenCounts"/> last ran (null: look at every ratio).</summary>
    private List<int>? protectedSinceRates;

    /// <summary>What one more complement that a relation will need costs, in units of a cell's cost (an LA count's value).</summary>
    private const double CascadePenalty = 1_000;

    /// <summary>The cells the public knows after the last audit (shown, or worked out).</summary>
    private bool[]? publicKnown;

    /// <summary>During an audit: cells worked out from a recovered (protected) figure, directly or in a chain.</summary>
    private bool[]? tainted;

    /// <param name="Root">Worked out from shown figures alone, not from another recovered figure: fixing the roots
    /// closes the chains that start from them, so secondary suppression hides complements for roots only.</param>
    private readonly record struct Leak(int Audience, int Cell, int Relation, decimal Value, bool Root);

    /// <summary>A leak in words (names are made only here: most leaks are fixed and never reported).</summary>
    private Recovery Describe(Leak leak) =>
        new(leak.Audience == Public ? "public" : audienceNames[leak.Audience], cells[leak.Cell].Name, leak.Value, relations[leak.Relation].Name);

    /// <summary>
    /// The public closure once, then each LA from it: the LA learns its own cells and those shown only to it, the
    /// elimination continues from the relations they touch, and the changes are undone before the next LA (an undo
    /// log, not a copy of every array per LA: that was most of the build's disclosure time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<Leak> Leaks(HashSet<int>? only = null, Knowledge? track = null, List<int>? hiddenSince = null, bool withValues = true)
    {
        leakValues = withValues;
        var index = MemberOf();
        var leaks = found;
        leaks.Clear();

        // What the public is shown, and each relation's count of unknowns from it, are kept up to date as cells are
        // hidden (Hide) and copied here: recounting them for every audit of every round was a large part of a round.
        buffers ??= new Buffers(this);
        var (known, values, unknown, all) = (buffers.Known, buffers.Values, buffers.Unknown, buffers.AllRelations);
        Array.Copy(buffers.ShownKnown, known, known.Length);
        Array.Copy(buffers.ShownUnknown, unknown, unknown.Length);
        Array.Copy(buffers.ShownXor, buffers.UnknownXor, unknown.Length);
        tainted = buffers.Tainted;
        Array.Clear(tainted);
        Array.Clear(buffers.TaintedCount);
        Propagate(Public, known, values, unknown, all, leaks, null);
        track?.PublicAt.Add((bool[])known.Clone());
        track?.PublicTested.Add(false);
        if (hiddenSince is not null && only is not null)
        {
            AddAudiencesThatCouldWorkOut(hiddenSince, only, known);
        }

        var byAudience = AudienceCells();
        var undo = new Undo();
        for (var audience = 0; audience < audienceNames.Count; audience++)
        {
            if (only is not null && !only.Contains(audience))
            {
                continue;
            }

            var touched = ownTouched;
            touched.Clear();
            foreach (var i in byAudience[audience])
            {
                var cell = cells[i];
                if (!known[i] && (cell.Owner == audience || !cell.Hidden))
                {
                    undo.Cells.Add(i);
                    Learn(i, -1, cell.Value, known, values, unknown, index, touched);
                }
            }

            Propagate(audience, known, values, unknown, touched, leaks, undo);
            LaAudits++;
            track?.Record(audience, undo.Cells);
            undo.Restore(known, unknown, tainted, buffers, index);
        }

        publicKnown = known;
        return leaks;
    }

    private Buffers? buffers;

    /// <summary>
    /// Whether <see cref="Leaks"/> works out each leak's value. Secondary suppression reads only where its leaks are
    /// (a value is worked out through its chain of solved relations, often England's sums of 154 decimals), so it asks
    /// for values only for leaks it reports. Values are the same whenever worked out (see <see cref="ValueOf"/>).
    /// </summary>
    private bool leakValues = true;

    /// <summary>What <see cref="Leaks"/> returns, reused: each round's list is read before the next audit.</summary>
    private readonly List<Leak> found = [];

    /// <summary>Hides a published cell (a complement, or a rate of a hidden count), keeping <see cref="Buffers"/> in step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Hide(int cell)
    {
        var c = cells[cell];
        if (!c.Hidden && buffers is not null && buffers.ShownKnown[cell])
        {
            buffers.ShownKnown[cell] = false;
            foreach (var r in MemberOf()[cell])
            {
                foreach (var x in relations[r].Cells)
                {
                    if (x == cell)
                    {
                        buffers.ShownUnknown[r]++;
                        buffers.ShownXor[r] ^= cell;
                    }
                }
            }
        }

        if (!c.Hidden && memberOf is not null && IsRestrictedFree(cell))
        {
            foreach (var r in memberOf[cell])
            {
                restrictedFreeShown![r]--;
            }
        }

        c.Hidden = true;
        if (knowledge is not null)
        {
            knowledge.HiddenAfter[cell] = knowledge.PublicAt.Count - 1;
        }
    }

    /// <summary>The working arrays of an audit, and the public's starting point (shown cells, unknowns per relation).</summary>
    private sealed class Buffers
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Buffers(DisclosureTable table)
        {
            var (cells, relations) = (table.cells, table.relations);
            Known = new bool[cells.Count];
            Values = new decimal[cells.Count];
            HasValue = new bool[cells.Count];
            SolvedFrom = new int[cells.Count];
            Tainted = new bool[cells.Count];
            ShownKnown = new bool[cells.Count];
            Unknown = new int[relations.Count];
            ShownUnknown = new int[relations.Count];
            UnknownXor = new int[relations.Count];
            ShownXor = new int[relations.Count];
            TaintedCount = new int[relations.Count];
            Repeats = new bool[relations.Count];
            AllRelations = [.. Enumerable.Range(0, relations.Count)];
            for (var i = 0; i < cells.Count; i++)
            {
                // Values are set once: a cell's value never changes, and only known cells' values are read.
                Values[i] = cells[i].Value;
                HasValue[i] = true;
                ShownKnown[i] = !cells[i].Hidden && cells[i].VisibleOnlyTo == Public;
            }

            // Seen[c] = r + 1 once cell c is met in relation r: a second meeting is a repeat (searching the rest of the
            // relation for each cell was quadratic in England's 154 cells).
            var seen = new int[cells.Count];
            for (var r = 0; r < relations.Count; r++)
            {
                foreach (var c in relations[r].Cells)
                {
                    if (!ShownKnown[c])
                    {
                        ShownUnknown[r]++;
                        ShownXor[r] ^= c;
                    }

                    Repeats[r] |= seen[c] == r + 1;
                    seen[c] = r + 1;
                }
            }
        }

        public bool[] Known { get; }
        public decimal[] Values { get; }

        /// <summary>Whether <see cref="Values"/> holds a known cell's value yet (see ValueOf).</summary>
        public bool[] HasValue { get; }

        /// <summary>For a cell worked out, the relation it was worked out from.</summary>
        public int[] SolvedFrom { get; }
        public bool[] Tainted { get; }
        public bool[] ShownKnown { get; }
        public int[] Unknown { get; }
        public int[] ShownUnknown { get; }

        /// <summary>Per relation, the exclusive or of its unknown cells: with one unknown left, that cell (no search of
        /// England's 154 cells each time one of its relations is solved). Not used for <see cref="Repeats"/>.</summary>
        public int[] UnknownXor { get; }

        /// <summary>The public's starting <see cref="UnknownXor"/>, kept up to date as cells are hidden.</summary>
        public int[] ShownXor { get; }

        /// <summary>Per relation, how many of its known cells were worked out from a recovered figure (see tainted).</summary>
        public int[] TaintedCount { get; }

        /// <summary>Relations that list a cell twice: their unknown count is not one per cell, so they are searched.</summary>
        public bool[] Repeats { get; }
        public int[] AllRelations { get; }
    }

    /// <summary>
    /// What an LA's elimination changed, to undo before the next LA: the cells it learnt, in order (each took one from
    /// the unknown count of each of its relations), and the relations it found unsolvable. Logging every count's change
    /// instead was most of what learning a cell cost.
    /// </summary>
    private sealed class Undo
    {
        public List<int> Cells { get; } = [];

        /// <summary>Relations set to -1 (unsolvable), with the count before and how many <see cref="Cells"/> were learnt by then.</summary>
        public List<(int Relation, int Was, int After)> Unsolvable { get; } = [];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Restore(bool[] known, int[] unknown, bool[] tainted, Buffers buffers, int[][] index)
        {
            // In reverse order, so that a relation set unsolvable gets back the count it had then.
            var (xor, taintedCount) = (buffers.UnknownXor, buffers.TaintedCount);
            var u = Unsolvable.Count - 1;
            for (var i = Cells.Count - 1; i >= 0; i--)
            {
                for (; u >= 0 && Unsolvable[u].After > i; u--)
                {
                    unknown[Unsolvable[u].Relation] = Unsolvable[u].Was;
                }

                var c = Cells[i];
                known[c] = false;
                var wasTainted = tainted[c] ? 1 : 0;
                tainted[c] = false;
                foreach (var r in index[c])
                {
                    unknown[r]++;
                    xor[r] ^= c;
                    taintedCount[r] -= wasTainted;
                }
            }

            for (; u >= 0; u--)
            {
                unknown[Unsolvable[u].Relation] = Unsolvable[u].Was;
            }

            Cells.Clear();
            Unsolvable.Clear();
        }
    }

    private List<int>[]? byAudienceCache;

    private List<int>[] AudienceCells()
    {
        if (byAudienceCache is not null)
        {
            return byAudienceCache;
        }

        var byAudience = new List<int>[audienceNames.Count];
        for (var a = 0; a < byAudience.Length; a++)
        {
            byAudience[a] = [];
        }

        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i].Owner >= 0 && cells[i].Owner < byAudience.Length)
            {
                byAudience[cells[i].Owner].Add(i);
            }

            if (cells[i].VisibleOnlyTo >= 0 && cells[i].VisibleOnlyTo < byAudience.Length && cells[i].VisibleOnlyTo != cells[i].Owner)
            {
                byAudience[cells[i].VisibleOnlyTo].Add(i);
            }
        }

        return byAudienceCache = byAudience;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Learn(int cell, int solvedFrom, decimal value, bool[] known, decimal[] values, int[] unknown, int[][] index, List<int> touched)
    {
        known[cell] = true;
        if (solvedFrom < 0)
        {
            values[cell] = value;
            buffers!.HasValue[cell] = true;
        }
        else
        {
            // Worked out: its value is worked out only if asked for (ValueOf), as most are never read.
            buffers!.HasValue[cell] = false;
            buffers.SolvedFrom[cell] = solvedFrom;
        }

        var xor = buffers!.UnknownXor;
        foreach (var r in index[cell])
        {
            unknown[r]--;
            xor[r] ^= cell;
            touched.Add(r);
        }
    }

    private readonly Stack<int> work = new();
    private readonly List<int> learnt = [];
    private readonly List<int> ownTouched = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Propagate(int audience, bool[] known, decimal[] values, int[] unknown, IReadOnlyList<int> start, List<Leak> leaks, Undo? undo)
    {
        var tainted = this.tainted!;
        var (repeats, taintedCount) = (buffers!.Repeats, buffers.TaintedCount);
        var index = MemberOf();
        var (work, touched) = (this.work, learnt);
        work.Clear();
        for (var i = 0; i < start.Count; i++)
        {
            if (unknown[start[i]] == 1)
            {
                work.Push(start[i]);
            }
        }

        while (work.Count > 0)
        {
            var r = work.Pop();
            if (unknown[r] != 1)
            {
                continue;
            }

            var relation = relations[r];
            int cell;
            bool fromRecovered;
            if (!repeats[r])
            {
                cell = buffers!.UnknownXor[r];
                fromRecovered = taintedCount[r] > 0; // the unknown cell itself is never tainted
            }
            else
            {
                cell = -1;
                foreach (var x in relation.Cells)
                {
                    if (!known[x])
                    {
                        cell = x;
                        break;
                    }
                }

                fromRecovered = false;
                foreach (var x in relation.Cells)
                {
                    fromRecovered |= x != cell && tainted[x];
                }
            }

            if (!Solvable(relation, cell))
            {
                undo?.Unsolvable.Add((r, unknown[r], undo.Cells.Count));
                unknown[r] = -1; // unsolvable (division by zero): the relation gives nothing
                continue;
            }

            touched.Clear();
            undo?.Cells.Add(cell);
            Learn(cell, r, default, known, values, unknown, index, touched);
            var c = cells[cell];

            // A leak is a suppressed figure of someone else that this audience's outputs would otherwise show.
            if (c.Protected && c.Owner != audience && (c.VisibleOnlyTo == Public || c.VisibleOnlyTo == audience))
            {
                leaks.Add(new Leak(audience, cell, r, leakValues ? ValueOf(cell) : 0m, !fromRecovered));
                fromRecovered = true;
            }

            if (fromRecovered)
            {
                tainted[cell] = true;
                foreach (var t in index[cell])
                {
                    taintedCount[t]++;
                }
            }

            foreach (var next in touched)
            {
                if (unknown[next] == 1)
                {
                    work.Push(next);
                }
            }
        }
    }

    /// <summary>
    /// Whether relation <paramref name="r"/> gives its one unknown <paramref name="cell"/>: a sum always does; a ratio
    /// not when it would divide by zero (reading the operand's value).
    /// </summary>
    private bool Solvable(Relation r, int cell)
    {
        if (!r.IsRatio)
        {
            return true;
        }

        if (cell == r.Result)
        {
            return ValueOf(r.Terms[1]) != 0;
        }

        return cell == r.Terms[0] || ValueOf(r.Result) != 0;
    }

    private readonly Stack<int> evaluating = new();

    /// <summary>
    /// The value of a known cell: given, or worked out from the relation that gave it (<see cref="Buffers.SolvedFrom"/>),
    /// from the values of that relation's other cells, which were known before it. Worked out when first asked for and
    /// kept: the same arithmetic on the same figures as solving each relation at once, which spent most of an
    /// elimination adding up sums (England's 154 cells) whose values nothing read; only division by zero and leaks need them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private decimal ValueOf(int cell)
    {
        var b = buffers!;
        if (b.HasValue[cell])
        {
            return b.Values[cell];
        }

        // Depth first, without recursion: a chain of cells each worked out from the one before can be long.
        var stack = evaluating;
        stack.Clear();
        stack.Push(cell);
        while (stack.Count > 0)
        {
            var x = stack.Peek();
            if (b.HasValue[x])
            {
                stack.Pop();
                continue;
            }

            var relation = relations[b.SolvedFrom[x]];
            var waiting = false;
            foreach (var y in relation.Cells)
            {
                if (y != x && !b.HasValue[y])
                {
                    stack.Push(y);
                    waiting = true;
                }
            }

            if (!waiting)
            {
                b.Values[x] = Solve(relation, x, b.Values) ?? throw new InvalidOperationException("A relation judged solvable divided by zero.");
                b.HasValue[x] = true;
                stack.Pop();
            }
        }

        return b.Values[cell];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal? Solve(Relation r, int cell, decimal[] v)
    {
        if (!r.IsRatio)
        {
            var sum = 0m;
            foreach (var t in r.Terms)
            {
                if (t != cell)
                {
                    sum += v[t];
                }
            }

            return cell == r.Result ? sum : v[r.Result] - sum;
        }

        var (rate, n, d) = (r.Result, r.Terms[0], r.Terms[1]);
        if (cell == rate)
        {
            return v[d] == 0 ? null : v[n] / v[d] * r.Multiplier;
        }

        if (cell == n)
        {
            return v[rate] * v[d] / r.Multiplier;
        }

        return v[rate] == 0 ? null : v[n] * r.Multiplier / v[rate];
    }

    /// <summary>ChooseComplement's working list, reused.</summary>
    private readonly List<(int Cell, int Relation)> candidates = [];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? ChooseComplement(Leak leak)
    {
        var index = MemberOf();
        var relation = relations[leak.Relation];
        candidates.Clear();
        foreach (var c in relation.Cells)
        {
            candidates.Add((c, leak.Relation));

            // A cell never shown that the audience worked out (an area's summed numerator, from the area's rate and
            // summed denominator): hiding a cell of the relations that gave it away (the area's rate) is a complement too.
            var cell = cells[c];
            if (c != leak.Cell && cell.Hidden && !cell.Protected)
            {
                foreach (var r in index[c])
                {
                    if (r != leak.Relation)
                    {
                        foreach (var x in relations[r].Cells)
                        {
                            candidates.Add((x, r));
                        }
                    }
                }
            }
        }

        return Best(candidates, leak, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int? Best(List<(int Cell, int Relation)> candidates, Leak leak, int[][] index)
    {
        int? best = null;
        var bestScore = double.PositiveInfinity;
        var bestValue = decimal.MaxValue;
        foreach (var (c, r) in candidates)
        {
            var cell = cells[c];
            if (c == leak.Cell || cell.Hidden || double.IsPositiveInfinity(cell.Cost) || cell.Owner == leak.Audience
                || !(cell.VisibleOnlyTo == Public || cell.VisibleOnlyTo == leak.Audience)
                || RecoveredAtOnce(c, r, leak.Audience))
            {
                continue;
            }

            var score = cell.Cost + (CascadePenalty * NewNeeds(c, r, index));
            if (score < bestScore || (score == bestScore && cell.Value < bestValue))
            {
                (best, bestScore, bestValue) = (c, score, cell.Value);
            }
        }

        return best;
    }

    /// <summary>
    /// How many more complements the relations of <paramref name="cell"/> (other than <paramref name="except"/>)
    /// would need once it is hidden, less how many they need now: negative when hiding it also closes another leak.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double NewNeeds(int cell, int except, int[][] index, bool followRates = true)
    {
        var total = 0.0;
        var owner = cells[cell].Owner;
        foreach (var r in index[cell])
        {
            if (r == except)
            {
                continue;
            }

            var relation = relations[r];
            if (relation.IsRatio)
            {
                var rate = cells[relation.Result];
                if (relation.Result != cell && !rate.Hidden && !double.IsPositiveInfinity(rate.Cost))
                {
                    // The rate of a hidden operand is hidden with it (HideRatesOfHiddenCounts): what that costs is what
                    // the rate's own relations then need.
                    total += followRates ? NewNeeds(relation.Result, r, index, followRates: false) : 0;
                    continue;
                }
            }

            var summary = SummaryOf(r);
            var needs = NeedHiding(r, summary, cell, owner) - NeedNow(r, summary);
            if (needs != 0)
            {
                total += needs * (RestrictedFreeCell(r) ? 0 : 1);
            }
        }

        return total;
    }

    /// <summary>A relation with a figure shown to one LA only that costs nothing to hide (its neighbour-group figure).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool RestrictedFreeCell(int r)
    {
        return restrictedFreeShown![r] > 0;
    }

    /// <summary>Per relation, how many of its cells are shown to one LA only, cost nothing to hide and are not hidden
    /// yet (kept by <see cref="Hide"/>; searching the relation's cells for one was read for every candidate).</summary>
    private int[]? restrictedFreeShown;

    private bool IsRestrictedFree(int cell) => cells[cell].VisibleOnlyTo != Public && cells[cell].Cost == 0;

    /// <summary>
    /// An estimate of how many more cells relation <paramref name="r"/> must hide (with <paramref name="hiding"/>
    /// hidden too, if not -1) so that no audience who sees it has exactly one protected unknown in it: the public, and
    /// each LA that owns one of its hidden cells (and knows it); for a relation with a figure shown to one LA only
    /// (its neighbour group), that LA. Unknown means not known to the public after the last audit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Need(int r, int hiding)
    {
        var summary = SummaryOf(r);
        return hiding < 0 ? NeedNow(r, summary) : NeedHiding(r, summary, hiding, cells[hiding].Owner);
    }

    /// <summary>Relation <paramref name="r"/>'s summary, summarised first if it is not up to date.</summary>
    private NeedSummary SummaryOf(int r)
    {
        var summary = needSummaries[r] ??= new NeedSummary();
        if (!summarised[r])
        {
            Summarise(r, summary);
            summarised[r] = true;
        }

        return summary;
    }

    /// <summary>Need with nothing more hidden: read for every candidate of every relation it shares, so kept until the summary changes.</summary>
    private int NeedNow(int r, NeedSummary summary)
    {
        if (summary.NeedNow < 0)
        {
            summary.NeedNow = summary.UnknownPublic == 0 ? 0 : NeedOf(r, summary, -1);
        }

        return summary.NeedNow;
    }

    /// <summary>
    /// Need with <paramref name="hiding"/> (owned by <paramref name="owner"/>) hidden too. Hiding a cell whose owner
    /// owns no unknown cell of the relation and is not the LA it is restricted to (most candidates: their owners' cells
    /// in England's and the regions' relations are shown) needs what any such cell needs: only whether it has an owner
    /// counts. Kept until the summary changes, like NeedNow.
    /// </summary>
    private int NeedHiding(int r, NeedSummary summary, int hiding, int owner)
    {
        if (owner == restrictedTo![r] || (owner >= 0 && summary.HasOwner(owner)))
        {
            return NeedOf(r, summary, hiding);
        }

        if (owner < 0)
        {
            return summary.NeedHidingUnowned >= 0 ? summary.NeedHidingUnowned : summary.NeedHidingUnowned = NeedOf(r, summary, hiding);
        }

        return summary.NeedHidingOwnedElsewhere >= 0 ? summary.NeedHidingOwnedElsewhere : summary.NeedHidingOwnedElsewhere = NeedOf(r, summary, hiding);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NeedOf(int r, NeedSummary summary, int hiding)
    {
        var hidingOwner = hiding >= 0 ? cells[hiding].Owner : NoOwner;
        var add = hiding >= 0 ? 1 : 0;
        var restrictedTo = this.restrictedTo![r];
        for (var k = 0; k < 4; k++)
        {
            bool leaky;
            if (restrictedTo != Public)
            {
                // Only the LA shown the relation's figure can use it; hiding a cell it owns tells it nothing new.
                var extra = hidingOwner == restrictedTo ? 0 : add;
                leaky = Leaky(summary.UnknownToRestricted + extra, summary.ProtectedToRestricted + extra, k);
            }
            else
            {
                leaky = Leaky(summary.UnknownPublic + add, summary.ProtectedPublic + add, k);
                var hidingOwnerSeen = hidingOwner >= 0 && summary.HasOwner(hidingOwner);
                if (summary.MaxOwned >= summary.UnknownPublic - 1)
                {
                    // Otherwise no owner can be left with a single unknown: each owns too few of them (England's
                    // relations, with 150 owners of one cell each, skip this loop).
                    for (var i = 0; i < summary.OwnerCount; i++)
                    {
                        var (owner, owned, ownedProtected) = summary.Owners[i];
                        var ownHiding = owner == hidingOwner ? add : 0;
                        leaky |= Leaky(summary.UnknownPublic + add - owned - ownHiding, summary.ProtectedPublic + add - ownedProtected - ownHiding, k);
                    }
                }

                if (!hidingOwnerSeen && hidingOwner >= 0)
                {
                    // The owner of the hidden cell knows it: for it, the relation's unknowns are the others.
                    leaky |= Leaky(summary.UnknownPublic, summary.ProtectedPublic, k);
                }
            }

            if (!leaky)
            {
                return k;
            }
        }

        return 4;

        // Exactly one unknown left, and it is protected (the k new complements are protected).
        static bool Leaky(int unknown, int protectedUnknown, int k) => unknown + k == 1 && (k == 1 || protectedUnknown == 1);
    }

    /// <summary>
    /// A relation's unknown cells after the last audit (see <see cref="Summarise"/>). One object per relation, filled
    /// again each time one of its cells is hidden (England's relations, with 150 owners, many times a round): a new
    /// summary with its own arrays each time was most of what choosing complements allocated.
    /// </summary>
    private sealed class NeedSummary
    {
        /// <summary>Need with nothing more hidden, once worked out (-1: not yet, or the summary changed since).</summary>
        public int NeedNow { get; set; } = -1;

        /// <summary>Need hiding a cell no LA owns (-1: not worked out since the summary changed).</summary>
        public int NeedHidingUnowned { get; set; } = -1;

        /// <summary>Need hiding a cell of an LA owning none of the unknown cells (-1: not worked out since the summary changed).</summary>
        public int NeedHidingOwnedElsewhere { get; set; } = -1;

        public void ForgetNeeds() => (NeedNow, NeedHidingUnowned, NeedHidingOwnedElsewhere) = (-1, -1, -1);

        public int UnknownPublic { get; set; }
        public int ProtectedPublic { get; set; }
        public int UnknownToRestricted { get; set; }
        public int ProtectedToRestricted { get; set; }
        public int MaxOwned { get; set; }

        /// <summary>The first <see cref="OwnerCount"/> entries: each LA owning unknown cells, how many, how many protected.</summary>
        public (int Owner, int Owned, int OwnedProtected)[] Owners { get; set; } = [];
        public int OwnerCount { get; set; }

        /// <summary>The owners as a bit set (all clear when there are none).</summary>
        public ulong[] OwnerBits { get; set; } = [];

        public bool HasOwner(int owner) => OwnerCount > 0 && (OwnerBits[owner >> 6] & (1UL << (owner & 63))) != 0;
    }

    /// <summary>Summarise's working list and each audience's place in it (-1: none); reused.</summary>
    private readonly List<(int Owner, int Owned, int OwnedProtected)> ownersScratch = [];
    private int[] ownerSlot = [];

    /// <summary>Per relation, its summary: valid while <see cref="summarised"/> says so (within a round of complement
    /// selection, until one of its cells is hidden).</summary>
    private NeedSummary?[] needSummaries = [];
    private bool[] summarised = [];

    /// <summary>
    /// Keeps relation <paramref name="r"/>'s summary in step as its cell <paramref name="c"/> is hidden: called with -1
    /// before (taking out what the cell counted for) and +1 after (what it counts for now), exactly what summarising the
    /// relation again would count, without going through its cells (England's 154, after each complement in it). A
    /// relation listing a cell twice is summarised again instead.
    /// </summary>
    private void SummaryChange(int r, int c, int sign)
    {
        if (!summarised[r])
        {
            return;
        }

        if (buffers!.Repeats[r])
        {
            summarised[r] = false;
            return;
        }

        var cell = cells[c];
        if (publicKnown![c])
        {
            return;
        }

        var summary = needSummaries[r]!;
        summary.ForgetNeeds();
        var isProtected = cell.Protected ? sign : 0;
        summary.UnknownPublic += sign;
        summary.ProtectedPublic += isProtected;
        if (UnknownToRestricted(cell, restrictedTo![r]))
        {
            summary.UnknownToRestricted += sign;
            summary.ProtectedToRestricted += isProtected;
        }

        if (cell.Owner < 0 || cell.Owner >= ownerSlot.Length)
        {
            return;
        }

        var i = 0;
        if (summary.HasOwner(cell.Owner))
        {
            while (summary.Owners[i].Owner != cell.Owner)
            {
                i++;
            }
        }
        else
        {
            // Only a cell counted before can be taken out, so only an addition can bring a new owner.
            i = summary.OwnerCount;
            if (summary.Owners.Length == i)
            {
                var grown = summary.Owners;
                Array.Resize(ref grown, Math.Max(4, i * 2));
                summary.Owners = grown;
            }

            summary.Owners[i] = (cell.Owner, 0, 0);
            summary.OwnerCount++;
            summary.OwnerBits[cell.Owner >> 6] |= 1UL << (cell.Owner & 63);
        }

        var (owner, owned, ownedProtected) = summary.Owners[i];
        summary.Owners[i] = (owner, owned + sign, ownedProtected + isProtected);
        if (owned + sign == 0)
        {
            // No unknown cell of this owner left: as a new summary would, drop it.
            summary.Owners[i] = summary.Owners[summary.OwnerCount - 1];
            summary.OwnerCount--;
            summary.OwnerBits[cell.Owner >> 6] &= ~(1UL << (cell.Owner & 63));
        }

        if (sign > 0)
        {
            summary.MaxOwned = Math.Max(summary.MaxOwned, owned + sign);
        }
        else if (owned == summary.MaxOwned)
        {
            summary.MaxOwned = 0;
            for (var k = 0; k < summary.OwnerCount; k++)
            {
                summary.MaxOwned = Math.Max(summary.MaxOwned, summary.Owners[k].Owned);
            }
        }
    }

    /// <summary>
    /// Whether a cell the public does not know is unknown to the one LA a relation's figure is shown to (<paramref
    /// name="restrictedTo"/>; none when it is <see cref="Public"/>): it neither owns it nor is shown it.
    /// </summary>
    private static bool UnknownToRestricted(Cell cell, int restrictedTo) =>
        restrictedTo != Public && cell.Owner != restrictedTo && !(cell.VisibleOnlyTo == restrictedTo && !cell.Hidden);

    /// <summary>A relation's unknown cells after the last audit: for the public, per LA owning some, and for the LA it is restricted to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Summarise(int r, NeedSummary summary)
    {
        var relation = relations[r];
        var restrictedTo = this.restrictedTo![r];

        int unknownPublic = 0, protectedPublic = 0, unknownRestricted = 0, protectedRestricted = 0;
        var owners = ownersScratch;
        owners.Clear();
        if (ownerSlot.Length != audienceNames.Count)
        {
            ownerSlot = [.. Enumerable.Repeat(-1, audienceNames.Count)];
        }

        foreach (var c in relation.Cells)
        {
            var cell = cells[c];
            if (publicKnown![c])
            {
                continue;
            }

            unknownPublic++;
            protectedPublic += cell.Protected ? 1 : 0;
            if (UnknownToRestricted(cell, restrictedTo))
            {
                unknownRestricted++;
                protectedRestricted += cell.Protected ? 1 : 0;
            }

            if (cell.Owner >= 0 && cell.Owner < ownerSlot.Length)
            {
                var i = ownerSlot[cell.Owner];
                if (i < 0)
                {
                    ownerSlot[cell.Owner] = owners.Count;
                    owners.Add((cell.Owner, 1, cell.Protected ? 1 : 0));
                }
                else
                {
                    owners[i] = (cell.Owner, owners[i].Owned + 1, owners[i].OwnedProtected + (cell.Protected ? 1 : 0));
                }
            }
        }

        var maxOwned = 0;
        var words = (ownerSlot.Length + 63) >> 6;
        if (summary.OwnerBits.Length != words)
        {
            summary.OwnerBits = new ulong[words];
        }

        Array.Clear(summary.OwnerBits);
        if (summary.Owners.Length < owners.Count)
        {
            summary.Owners = new (int, int, int)[owners.Count];
        }

        for (var i = 0; i < owners.Count; i++)
        {
            var o = owners[i];
            maxOwned = Math.Max(maxOwned, o.Owned);
            ownerSlot[o.Owner] = -1;
            summary.OwnerBits[o.Owner >> 6] |= 1UL << (o.Owner & 63);
            summary.Owners[i] = o;
        }

        summary.OwnerCount = owners.Count;
        summary.ForgetNeeds();
        summary.UnknownPublic = unknownPublic;
        summary.ProtectedPublic = protectedPublic;
        summary.UnknownToRestricted = unknownRestricted;
        summary.ProtectedToRestricted = protectedRestricted;
        summary.MaxOwned = maxOwned;
    }

    /// <summary>What the audience is given: shown cells (to everyone or to it) and its own.</summary>
    private bool Given(int cell, int audience)
    {
        var c = cells[cell];
        return c.Owner == audience || (!c.Hidden && (c.VisibleOnlyTo == Public || c.VisibleOnlyTo == audience));
    }

    /// <summary>
    /// Hiding a rate is pointless while its numerator and denominator are shown: the reader divides. (A count hidden
    /// as a complement may still be exposed by another sum; the next round hides a complement there, and so on.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool RecoveredAtOnce(int cell, int relation, int audience)
    {
        foreach (var r in ratiosOf![cell])
        {
            var ratio = relations[r];
            if (r != relation && Given(ratio.Terms[0], audience) && Given(ratio.Terms[1], audience))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Per cell, the ratio relations whose result it is (made with <see cref="memberOf"/>).</summary>
    private int[][]? ratiosOf;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[][] MemberOf()
    {
        if (memberOf is not null)
        {
            return memberOf;
        }

        // Counted first, then filled: one array per cell (a list per cell and a set per relation were a fifth of what
        // secondary suppression allocated). A cell twice in one relation is listed once.
        var counts = new int[cells.Count];
        var last = new int[cells.Count];
        Array.Fill(last, -1);
        for (var r = 0; r < relations.Count; r++)
        {
            foreach (var c in relations[r].Cells)
            {
                if (last[c] != r)
                {
                    last[c] = r;
                    counts[c]++;
                }
            }
        }

        var index = new int[cells.Count][];
        for (var i = 0; i < index.Length; i++)
        {
            index[i] = counts[i] == 0 ? [] : new int[counts[i]];
            counts[i] = 0;
        }

        Array.Fill(last, -1);
        for (var r = 0; r < relations.Count; r++)
        {
            foreach (var c in relations[r].Cells)
            {
                if (last[c] != r)
                {
                    last[c] = r;
                    index[c][counts[c]++] = r;
                }
            }
        }

        restrictedFreeShown = new int[relations.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            if (IsRestrictedFree(c) && !cells[c].Hidden)
            {
                foreach (var r in index[c])
                {
                    restrictedFreeShown[r]++;
                }
            }
        }

        // Per cell, the ratios it is the result of (most cells: none; searching the ~20 relations of an LA's count for
        // them was read for every candidate).
        ratiosOf = new int[cells.Count][];
        Array.Fill(ratiosOf, []);
        for (var r = 0; r < relations.Count; r++)
        {
            if (relations[r].IsRatio)
            {
                ratiosOf[relations[r].Result] = [.. ratiosOf[relations[r].Result], r];
            }
        }

        // The audience a relation's figure is shown to alone (the last such cell's), or Public: fixed once cells are added.
        restrictedTo = new int[relations.Count];
        for (var r = 0; r < relations.Count; r++)
        {
            restrictedTo[r] = Public;
            foreach (var c in relations[r].Cells)
            {
                if (cells[c].VisibleOnlyTo != Public)
                {
                    restrictedTo[r] = cells[c].VisibleOnlyTo;
                }
            }
        }

        return memberOf = index;
    }
}
