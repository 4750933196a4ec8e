using System.Globalization;

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
    private List<int>[]? memberOf;

    private sealed class Cell
    {
        public required string Name { get; init; }
        public decimal Value { get; init; }
        public bool Hidden { get; set; }

        /// <summary>A suppressed figure that must not be recovered (auxiliary sums never shown are not protected).</summary>
        public bool Protected { get; set; }
        public bool Secondary { get; set; }
        public int Owner { get; init; } = NoOwner;
        public int VisibleOnlyTo { get; init; } = Public;
        public double Cost { get; init; }
    }

    private sealed record Relation(string Name, bool IsRatio, int Result, int[] Terms, decimal Multiplier)
    {
        public IEnumerable<int> Cells => Terms.Prepend(Result);
    }

    public int CellCount => cells.Count;

    /// <summary>Registers an audience (an LA) that sees public cells, its own cells and cells visible only to it.</summary>
    public int AddAudience(string name)
    {
        audienceNames.Add(name);
        return audienceNames.Count - 1;
    }

    /// <summary>
    /// A cell. <paramref name="cost"/> orders complements (lowest hidden first); <see cref="double.PositiveInfinity"/>
    /// never becomes a complement. <paramref name="owner"/> always knows the cell (its own figure).
    /// <paramref name="visibleOnlyTo"/> is shown only to that audience (e.g. an LA's neighbour-group total).
    /// </summary>
    public int AddCell(string name, decimal value, bool hidden, double cost, int owner = NoOwner, int visibleOnlyTo = Public, bool isProtected = true)
    {
        memberOf = null;
        cells.Add(new Cell { Name = name, Value = value, Hidden = hidden, Protected = hidden && isProtected, Owner = owner, VisibleOnlyTo = visibleOnlyTo, Cost = cost });
        return cells.Count - 1;
    }

    /// <summary>A cell no reader is shown and that is not itself protected (e.g. an area's summed numerator behind its rate).</summary>
    public int AddUnshownCell(string name, decimal value) => AddCell(name, value, hidden: true, double.PositiveInfinity, isProtected: false);

    /// <summary><paramref name="total"/> = the sum of <paramref name="terms"/>.</summary>
    public void AddSum(string name, int total, IReadOnlyCollection<int> terms)
    {
        memberOf = null;
        relations.Add(new Relation(name, false, total, [.. terms], 1m));
    }

    /// <summary><paramref name="rate"/> = <paramref name="numerator"/> / <paramref name="denominator"/> x multiplier.</summary>
    public void AddRatio(string name, int rate, int numerator, int denominator, decimal multiplier)
    {
        memberOf = null;
        relations.Add(new Relation(name, true, rate, [numerator, denominator], multiplier));
    }

    public bool IsHidden(int cell) => cells[cell].Hidden;

    public bool IsSecondary(int cell) => cells[cell].Secondary;

    public int HiddenCount => cells.Count(c => c.Hidden && c.Protected);

    public int SecondaryCount => cells.Count(c => c.Secondary);

    /// <summary>Every suppressed value recoverable by the public or by any registered audience.</summary>
    public IReadOnlyList<Recovery> Audit() => [.. Leaks().Select(l => l.Recovery)];

    /// <summary>
    /// Secondary suppression: while anything is recoverable, hide for each leak the cheapest cell of the relation
    /// that gave it away (one the audience is shown and does not own, whose hiding is not undone at once by another
    /// relation), then audit again. Returns what is still recoverable (nothing, unless no complement was possible).
    /// </summary>
    public IReadOnlyList<Recovery> SuppressComplements(int maxRounds = 100)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            var leaks = Leaks();
            if (leaks.Count == 0)
            {
                return [];
            }

            var hid = false;
            foreach (var group in leaks.GroupBy(l => (l.Audience, l.Relation)))
            {
                var leak = group.First();
                var complement = ChooseComplement(leak);
                if (complement is { } c && !cells[c].Hidden)
                {
                    cells[c].Hidden = true;
                    cells[c].Protected = true;
                    cells[c].Secondary = true;
                    hid = true;
                }
            }

            if (!hid)
            {
                return [.. leaks.Select(l => l.Recovery)];
            }
        }

        return Audit();
    }

    private sealed record Leak(int Audience, int Cell, int Relation, bool[] Known, Recovery Recovery);

    private List<Leak> Leaks()
    {
        var index = MemberOf();
        var leaks = new List<Leak>();
        var (publicKnown, publicValues, publicUnknown) = Initial(Public);
        Propagate(Public, publicKnown, publicValues, publicUnknown, Enumerable.Range(0, relations.Count), leaks);
        for (var audience = 0; audience < audienceNames.Count; audience++)
        {
            var known = (bool[])publicKnown.Clone();
            var values = (decimal[])publicValues.Clone();
            var unknown = (int[])publicUnknown.Clone();
            var touched = new List<int>();
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (!known[i] && (cell.Owner == audience || (cell.VisibleOnlyTo == audience && !cell.Hidden)))
                {
                    Learn(i, cell.Value, known, values, unknown, index, touched);
                }
            }

            Propagate(audience, known, values, unknown, touched, leaks);
        }

        return leaks;
    }

    private (bool[] Known, decimal[] Values, int[] Unknown) Initial(int audience)
    {
        var known = new bool[cells.Count];
        var values = new decimal[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            var c = cells[i];
            if (!c.Hidden && (c.VisibleOnlyTo == Public || c.VisibleOnlyTo == audience))
            {
                known[i] = true;
                values[i] = c.Value;
            }
        }

        var unknown = relations.Select(r => r.Cells.Count(c => !known[c])).ToArray();
        return (known, values, unknown);
    }

    private static void Learn(int cell, decimal value, bool[] known, decimal[] values, int[] unknown, List<int>[] index, List<int> touched)
    {
        known[cell] = true;
        values[cell] = value;
        foreach (var r in index[cell])
        {
            unknown[r]--;
            touched.Add(r);
        }
    }

    private void Propagate(int audience, bool[] known, decimal[] values, int[] unknown, IEnumerable<int> start, List<Leak> leaks)
    {
        var index = MemberOf();
        var work = new Stack<int>(start.Where(r => unknown[r] == 1));
        var touched = new List<int>();
        while (work.Count > 0)
        {
            var r = work.Pop();
            if (unknown[r] != 1)
            {
                continue;
            }

            var relation = relations[r];
            var cell = relation.Cells.First(c => !known[c]);
            if (Solve(relation, cell, values) is not { } value)
            {
                unknown[r] = -1; // unsolvable (division by zero): the relation gives nothing
                continue;
            }

            touched.Clear();
            Learn(cell, value, known, values, unknown, index, touched);
            var c = cells[cell];
            // A leak is a suppressed figure of someone else that this audience's outputs would otherwise show.
            if (c.Protected && c.Owner != audience && (c.VisibleOnlyTo == Public || c.VisibleOnlyTo == audience))
            {
                var name = audience == Public ? "public" : audienceNames[audience];
                leaks.Add(new Leak(audience, cell, r, known, new Recovery(name, c.Name, value, relation.Name)));
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

    private static decimal? Solve(Relation r, int cell, decimal[] v)
    {
        if (!r.IsRatio)
        {
            return cell == r.Result ? r.Terms.Sum(t => v[t]) : v[r.Result] - r.Terms.Where(t => t != cell).Sum(t => v[t]);
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

    private int? ChooseComplement(Leak leak)
    {
        var index = MemberOf();
        var relation = relations[leak.Relation];
        return relation.Cells
            .Where(c => c != leak.Cell && !cells[c].Hidden && !double.IsPositiveInfinity(cells[c].Cost)
                && cells[c].Owner != leak.Audience
                && (cells[c].VisibleOnlyTo == Public || cells[c].VisibleOnlyTo == leak.Audience)
                && !RecoveredAtOnce(c, leak, index))
            .OrderBy(c => cells[c].Cost).ThenBy(c => cells[c].Value).ThenBy(c => c)
            .Select(c => (int?)c).FirstOrDefault();
    }

    /// <summary>
    /// Hiding a rate is pointless while its numerator and denominator are shown: the reader divides. (A count hidden
    /// as a complement may still be exposed by another sum; the next round hides a complement there, and so on.)
    /// </summary>
    private bool RecoveredAtOnce(int cell, Leak leak, List<int>[] index) =>
        index[cell].Any(r => r != leak.Relation && relations[r].IsRatio && relations[r].Result == cell && relations[r].Cells.All(c => c == cell
            || (leak.Known[c] && (!cells[c].Hidden || cells[c].Owner == leak.Audience))));

    private List<int>[] MemberOf()
    {
        if (memberOf is not null)
        {
            return memberOf;
        }

        var index = new List<int>[cells.Count];
        for (var i = 0; i < index.Length; i++)
        {
            index[i] = [];
        }

        for (var r = 0; r < relations.Count; r++)
        {
            foreach (var c in relations[r].Cells.Distinct())
            {
                index[c].Add(r);
            }
        }

        return memberOf = index;
    }
}
