using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Tests.Benchmarks;

/// <summary>The audit and secondary suppression on small hand-made tables whose answers are known.</summary>
public class DisclosureTableTests
{
    [Fact]
    public void Audit_OneSuppressedCellInARowWithItsTotal_RecoversItAsTotalMinusTheOthers()
    {
        // Arrange: children by age 0-4 = 3 (suppressed), 5-9 = 10, 10-17 = 12; total 25 published.
        var t = new DisclosureTable();
        var total = t.AddCell("total", 25, hidden: false, cost: 25);
        var young = t.AddCell("age 0-4", 3, hidden: true, cost: 3);
        var middle = t.AddCell("age 5-9", 10, hidden: false, cost: 10);
        var old = t.AddCell("age 10-17", 12, hidden: false, cost: 12);
        t.AddSum("by age", total, [young, middle, old]);

        // Act
        var recovered = t.Audit();

        // Assert
        recovered.ShouldHaveSingleItem().ShouldBe(new Recovery("public", "age 0-4", 3m, "by age"));
    }

    [Fact]
    public void Audit_TwoSuppressedCellsInOneRelation_RecoversNothing()
    {
        // Arrange
        var t = new DisclosureTable();
        var total = t.AddCell("total", 20, hidden: false, cost: 20);
        var a = t.AddCell("a", 3, hidden: true, cost: 3);
        var b = t.AddCell("b", 4, hidden: true, cost: 4);
        var c = t.AddCell("c", 13, hidden: false, cost: 13);
        t.AddSum("row", total, [a, b, c]);

        // Act and assert
        t.Audit().ShouldBeEmpty();
    }

    [Fact]
    public void Audit_ChainedRelations_RecoversWhatSingleStepsCannot()
    {
        // Arrange: a 2 x 2 table with row and column totals. a (2) and b (3) are suppressed in row 1; b is
        // also the only unknown of column 2 (b + d = 9, d = 6 published), which then leaves a alone in row 1.
        var t = new DisclosureTable();
        var a = t.AddCell("a", 2, hidden: true, cost: 2);
        var b = t.AddCell("b", 3, hidden: true, cost: 3);
        var c = t.AddCell("c", 7, hidden: false, cost: 7);
        var d = t.AddCell("d", 6, hidden: false, cost: 6);
        var row1 = t.AddCell("row 1", 5, hidden: false, cost: 100);
        var row2 = t.AddCell("row 2", 13, hidden: false, cost: 100);
        var col1 = t.AddCell("col 1", 9, hidden: false, cost: 100);
        var col2 = t.AddCell("col 2", 9, hidden: false, cost: 100);
        t.AddSum("row 1", row1, [a, b]);
        t.AddSum("row 2", row2, [c, d]);
        t.AddSum("col 1", col1, [a, c]);
        t.AddSum("col 2", col2, [b, d]);

        // Act
        var recovered = t.Audit();

        // Assert
        recovered.Select(r => (r.Cell, r.Value)).OrderBy(r => r.Cell).ShouldBe([("a", 2m), ("b", 3m)]);
    }

    [Fact]
    public void Audit_SuppressedRateWithPublishedNumeratorAndRate_RecoversTheDenominator()
    {
        // Arrange: families accepted 4 is suppressed; families offered 10 and the rate 40% are published.
        var t = new DisclosureTable();
        var rate = t.AddCell("acceptance rate", 40, hidden: false, cost: 0.1);
        var accepted = t.AddCell("families accepted", 4, hidden: true, cost: 4);
        var offered = t.AddCell("families offered", 10, hidden: false, cost: 10);
        t.AddRatio("acceptance rate = accepted / offered x 100", rate, accepted, offered, 100);

        // Act and assert
        t.Audit().ShouldHaveSingleItem().ShouldBe(new Recovery("public", "families accepted", 4m, "acceptance rate = accepted / offered x 100"));
    }

    [Fact]
    public void Audit_RateOverADenominatorWorkedOutAsZero_RecoversTheDenominatorButNotTheRate()
    {
        // Arrange: offered 0 (suppressed) is worked out as the total 7 less the 7 offered elsewhere; the rate accepted /
        // offered (suppressed) cannot then be worked out from accepted 0, as it divides by the zero just worked out.
        // The elimination works out a value only when something reads it: this zero test reads one worked out.
        var t = new DisclosureTable();
        var total = t.AddCell("offered, all", 7, hidden: false, cost: 7);
        var elsewhere = t.AddCell("offered elsewhere", 7, hidden: false, cost: 7);
        var offered = t.AddCell("offered", 0, hidden: true, cost: 0);
        var accepted = t.AddCell("accepted", 0, hidden: false, cost: 0);
        var rate = t.AddCell("acceptance rate", 0, hidden: true, cost: 0.1);
        t.AddSum("offered adds up", total, [elsewhere, offered]);
        t.AddRatio("acceptance rate = accepted / offered x 100", rate, accepted, offered, 100);

        // Act
        var recovered = t.Audit();

        // Assert
        recovered.ShouldHaveSingleItem().ShouldBe(new Recovery("public", "offered", 0m, "offered adds up"));
    }

    [Fact]
    public void Audit_AnLaThatKnowsItsOwnSuppressedValue_RecoversItsNeighboursFromTheGroupTotal()
    {
        // Arrange: a region of three LAs, total 20 published; A (3) and B (2) suppressed. The public cannot work
        // either out, but A knows its own 3 and so gets B's 2.
        var t = new DisclosureTable();
        var la = t.AddAudience("A");
        t.AddAudience("B");
        var a = t.AddCell("A", 3, hidden: true, cost: 3, owner: la);
        var b = t.AddCell("B", 2, hidden: true, cost: 2, owner: 1);
        var c = t.AddCell("C", 15, hidden: false, cost: 15, owner: 2);
        var total = t.AddCell("region", 20, hidden: false, cost: 1e6);
        t.AddSum("region total", total, [a, b, c]);

        // Act
        var recovered = t.Audit();

        // Assert
        recovered.Select(r => (r.Audience, r.Cell, r.Value)).OrderBy(r => r.Audience).ShouldBe([("A", "B", 2m), ("B", "A", 3m)]);
    }

    [Fact]
    public void SuppressComplements_OneSuppressedCellInARow_HidesTheSmallestOtherCellAndNothingIsRecoverable()
    {
        // Arrange
        var t = new DisclosureTable();
        var total = t.AddCell("total", 30, hidden: false, cost: 1e6);
        var small = t.AddCell("small", 2, hidden: true, cost: 2);
        var nine = t.AddCell("nine", 9, hidden: false, cost: 9);
        var nineteen = t.AddCell("nineteen", 19, hidden: false, cost: 19);
        t.AddSum("row", total, [small, nine, nineteen]);

        // Act
        var left = t.SuppressComplements();

        // Assert
        left.ShouldBeEmpty();
        t.Audit().ShouldBeEmpty();
        t.IsHidden(nine).ShouldBeTrue();
        t.IsSecondary(nine).ShouldBeTrue();
        t.IsHidden(nineteen).ShouldBeFalse();
        t.IsHidden(total).ShouldBeFalse();
    }

    [Fact]
    public void SuppressComplements_NoCellCanBeAComplement_ReportsWhatIsLeftWithItsValue()
    {
        // Arrange: the suppressed cell's row and its chained total are all figures that may never be hidden (an
        // infinite cost), so nothing can protect it; the value reported is worked out through the chain
        // (small = row - nine, row = total - other).
        var t = new DisclosureTable();
        var total = t.AddCell("total", 40, hidden: false, cost: double.PositiveInfinity);
        var other = t.AddCell("other", 10, hidden: false, cost: double.PositiveInfinity);
        var row = t.AddUnshownCell("row", 30);
        var small = t.AddCell("small", 2, hidden: true, cost: 2);
        var rest = t.AddCell("rest", 28, hidden: false, cost: double.PositiveInfinity);
        t.AddSum("total = row + other", total, [row, other]);
        t.AddSum("row", row, [small, rest]);

        // Act
        var left = t.SuppressComplements();

        // Assert
        left.ShouldHaveSingleItem().ShouldBe(new Recovery("public", "small", 2m, "row"));
        t.SecondaryCount.ShouldBe(0);
    }

    [Fact]
    public void SuppressComplements_ComplementThatOtherRelationsWouldGiveBack_ChainsUntilNothingIsRecoverable()
    {
        // Arrange: the 2 x 2 table with only a suppressed. Hiding b (the cheapest in row 1) exposes it in
        // column 2, so d or the column total must go too, and so on until every relation has 0 or 2+ unknowns.
        var t = new DisclosureTable();
        var a = t.AddCell("a", 2, hidden: true, cost: 2);
        var b = t.AddCell("b", 3, hidden: false, cost: 3);
        var c = t.AddCell("c", 7, hidden: false, cost: 7);
        var d = t.AddCell("d", 6, hidden: false, cost: 6);
        t.AddSum("row 1", t.AddCell("row 1", 5, false, 1e6), [a, b]);
        t.AddSum("row 2", t.AddCell("row 2", 13, false, 1e6), [c, d]);
        t.AddSum("col 1", t.AddCell("col 1", 9, false, 1e6), [a, c]);
        t.AddSum("col 2", t.AddCell("col 2", 9, false, 1e6), [b, d]);

        // Act
        var left = t.SuppressComplements();

        // Assert: all four inner cells hidden, the totals kept.
        left.ShouldBeEmpty();
        t.Audit().ShouldBeEmpty();
        new[] { a, b, c, d }.ShouldAllBe(x => t.IsHidden(x));
    }

    [Fact]
    public void SuppressComplements_AnLaLearningItsNeighbourFromTheNeighbourGroupTotal_HidesTheGroupTotalForThatLaOnly()
    {
        // Arrange: LA X's neighbour group is Y (2, suppressed) and Z (40); only X is shown the group total 42.
        var t = new DisclosureTable();
        var x = t.AddAudience("X");
        var y = t.AddAudience("Y");
        var z = t.AddAudience("Z");
        var yValue = t.AddCell("Y", 2, hidden: true, cost: 2, owner: y);
        var zValue = t.AddCell("Z", 40, hidden: false, cost: 40, owner: z);
        var group = t.AddCell("X's neighbours", 42, hidden: false, cost: 0, visibleOnlyTo: x);
        t.AddSum("X's neighbour group", group, [yValue, zValue]);

        // Act
        var before = t.Audit();
        var left = t.SuppressComplements();

        // Assert
        before.ShouldHaveSingleItem().Audience.ShouldBe("X");
        left.ShouldBeEmpty();
        t.IsHidden(group).ShouldBeTrue();
        t.IsHidden(zValue).ShouldBeFalse();
    }

    [Fact]
    public void SuppressComplements_RateOfASuppressedCount_HidesTheRateNotTheDenominator()
    {
        // Arrange
        var t = new DisclosureTable();
        var rate = t.AddCell("rate", 25, hidden: false, cost: 0.1);
        var num = t.AddCell("num", 3, hidden: true, cost: 3);
        var den = t.AddCell("den", 12, hidden: false, cost: 12);
        t.AddRatio("rate", rate, num, den, 100);

        // Act
        t.SuppressComplements().ShouldBeEmpty();

        // Assert
        t.IsHidden(rate).ShouldBeTrue();
        t.IsHidden(den).ShouldBeFalse();
    }

    [Fact]
    public void SuppressComplements_ComplementInEnglandsTotal_ReauditsOnlyTheLasThatCouldWorkItOut()
    {
        // Arrange: 20 LAs, each owning one count; England's total is published. LA 0's count (3) is small. The public
        // works it out (England minus the others), so LA 1's 10 (the cheapest) is hidden. Then LA 0, which knows its own
        // 3, works out LA 1's 10, and LA 1 works out LA 0's 3, so LA 2's 11 is hidden too. Only LAs 0 and 1 could work
        // out a figure of England's total after the first complement (its other unknown is their own), and no LA after
        // the second (two other owners' figures unknown), so after the first full audit only LAs 0 and 1 are
        // re-audited (twice: they had leaks), then every LA once to confirm.
        var t = new DisclosureTable();
        var counts = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            var la = t.AddAudience($"LA {i}");
            counts.Add(i == 0
                ? t.AddCell("LA 0 count", 3, hidden: true, cost: 3, owner: la)
                : t.AddCell($"LA {i} count", 9 + i, hidden: false, cost: 9 + i, owner: la));
        }

        var england = t.AddCell("England", 3 + Enumerable.Range(1, 19).Sum(i => 9 + i), hidden: false, cost: 10_000_000);
        t.AddSum("England total", england, counts);

        // Act
        var left = t.SuppressComplements();
        var laAudits = t.LaAudits;

        // Assert
        left.ShouldBeEmpty();
        t.Audit().ShouldBeEmpty();
        counts.Where(t.IsSecondary).ShouldBe([counts[1], counts[2]]);
        laAudits.ShouldBe(20 + 2 + 2 + 20); // re-auditing every owner of a cell in a relation of a complement: 80
    }
}
