using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Tests.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Core.Tests.Validation;

/// <summary>The peer_range rules of the 1.1 draft (P01 acceptance, P02 accepted to held, P03 looked after per child).</summary>
public class PeerRangeRuleTests
{
    private static SurveyDefinition Fgc11 => TestDefinitions.Fgc11;

    /// <summary>The valid 1.1 return: acceptance 40 of 50 (80%), held 36 of 40 (90%), looked after 8 of 70 (11.4%).</summary>
    private static ReturnValuesBuilder Return() => ReturnValuesBuilder.ValidFgc11();

    private static PeerFigures Figures(decimal median, decimal p5, decimal p95, decimal? neighbours) =>
        new(median, new Dictionary<int, decimal> { [5] = p5, [95] = p95 }, neighbours);

    private static PeerReference Peers(string measure, PeerFigures figures, bool lastYear = true) =>
        new("2024-25", lastYear, 60000m, new Dictionary<string, PeerFigures> { [measure] = figures });

    private static IReadOnlyList<ValidationIssue> PeerIssues(ReturnValuesBuilder values, PeerReference? peers) =>
        ValidationEngine.Validate(Fgc11, values.Build(), null, peers).Issues.Where(i => i.RuleId.StartsWith('P')).ToList();

    [Fact]
    public void Validate_AcceptanceRateBelowEnglandLowerBand_RaisesTheQueryInPlainWords()
    {
        var values = Return().With("families_accepted", "6").With("initial_fgcs_held", "6").With("plans_agreed", "5")
            .With("child_participated", "5").With("advocate_supported", "5").With("fgcs_held_pre_proceedings", "5").With("accepted_pre_proceedings", "5");

        var issue = PeerIssues(values, Peers("acceptance_rate", Figures(61m, 30m, 92m, 60m))).ShouldHaveSingleItem();

        issue.RuleId.ShouldBe("P01");
        issue.Severity.ShouldBe(Severity.Query);
        issue.Message.ShouldBe("Your acceptance rate, 12%, is lower than 95% of local authorities last year (England median 61%). Check the figures, or explain why.");
        issue.ItemKeys.ShouldBe(["families_accepted", "families_offered"]);
    }

    [Fact]
    public void Validate_AcceptanceRateAboveEnglandUpperBand_SaysHigherThan95Percent()
    {
        var issue = PeerIssues(Return(), Peers("acceptance_rate", Figures(55m, 20m, 75m, 70m))).ShouldHaveSingleItem();

        issue.Message.ShouldBe("Your acceptance rate, 80%, is higher than 95% of local authorities last year (England median 55%). Check the figures, or explain why.");
    }

    [Fact]
    public void Validate_AcceptanceRateInsideEveryBand_RaisesNothing()
    {
        PeerIssues(Return(), Peers("acceptance_rate", Figures(61m, 30m, 92m, 65m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RateOnTheEnglandPercentileItself_IsInsideTheBand()
    {
        PeerIssues(Return(), Peers("acceptance_rate", Figures(61m, 80m, 92m, 65m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_MoreThanTwiceTheNeighbourMedian_SaysSoWithTheirMedian()
    {
        var issue = PeerIssues(Return(), Peers("acceptance_rate", Figures(61m, 10m, 99m, 35m))).ShouldHaveSingleItem();

        issue.Message.ShouldBe("Your acceptance rate, 80%, is more than twice the median of your statistical neighbours last year (35%). Check the figures, or explain why.");
    }

    [Fact]
    public void Validate_LessThanHalfTheNeighbourMedian_SaysSo()
    {
        var issue = PeerIssues(Return(), Peers("conversion_rate", Figures(95m, 40m, 120m, 190m))).ShouldHaveSingleItem();

        issue.RuleId.ShouldBe("P02");
        issue.Message.ShouldBe("Your share of agreed FGCs that were held, 90%, is less than half the median of your statistical neighbours last year (190%). Check the figures, or explain why.");
    }

    [Fact]
    public void Validate_LookedAfterRateAboveThreeTimesNeighbours_RaisesP03()
    {
        var issue = PeerIssues(Return(), Peers("looked_after_after_fgc_rate", Figures(6m, 0m, 20m, 3m))).ShouldHaveSingleItem();

        issue.RuleId.ShouldBe("P03");
        issue.Message.ShouldBe("Your share of children who became looked after after an FGC, 11%, is more than three times the median of your statistical neighbours last year (3%). Check the figures, or explain why.");
        issue.ItemKeys.ShouldBe(["outcome_looked_after", "children_in_fgcs"]);
    }

    [Fact]
    public void Validate_BenchmarkOlderThanLastYear_NamesItsYear()
    {
        var issue = PeerIssues(Return(), Peers("acceptance_rate", Figures(55m, 20m, 75m, null), lastYear: false)).ShouldHaveSingleItem();

        issue.Message.ShouldBe("Your acceptance rate, 80%, is higher than 95% of local authorities in 2024-25 (England median 55%). Check the figures, or explain why.");
    }

    [Fact]
    public void Validate_NoFinalBenchmark_EveryPeerRuleIsSilent()
    {
        var values = Return().With("families_accepted", "6");

        PeerIssues(values, null).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_BenchmarkWithoutThisMeasure_IsSilent()
    {
        var values = Return().With("families_accepted", "6");

        PeerIssues(values, Peers("fgc_rate_per_10k", Figures(20m, 5m, 40m, 20m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_SuppressedFigures_AreSilentNotGuessed()
    {
        var suppressed = new PeerFigures(null, new Dictionary<int, decimal>(), null);

        PeerIssues(Return().With("families_accepted", "6"), Peers("acceptance_rate", suppressed)).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_DenominatorBelowTheRuleMinimum_IsSilent()
    {
        // 1 of 8 families (12.5%) is far below peers, but 8 offers is below P01's minimum of 10.
        var values = Return().With("families_offered", "8").With("families_accepted", "1").With("families_declined", "0");

        PeerIssues(values, Peers("acceptance_rate", Figures(61m, 30m, 92m, 60m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OperandNotRecorded_IsSilent()
    {
        var values = Return().NotRecorded("outcome_looked_after");

        PeerIssues(values, Peers("looked_after_after_fgc_rate", Figures(1m, 0m, 2m, 1m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OperandNotAnsweredYet_IsSilent()
    {
        var values = Return().Without("families_accepted");

        PeerIssues(values, Peers("acceptance_rate", Figures(61m, 90m, 95m, 60m))).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RateComesFromTheLasOwnNumeratorAndDenominator()
    {
        // 45 of 50 is 90%: above a 95th percentile of 85, whatever the counts of other LAs.
        var issue = PeerIssues(Return().With("families_accepted", "45").With("families_declined", "5"), Peers("acceptance_rate", Figures(61m, 30m, 85m, 60m)))
            .ShouldHaveSingleItem();

        issue.Message.ShouldStartWith("Your acceptance rate, 90%, is higher than 95%");
    }

    [Fact]
    public void Definition_Fgc11PeerRules_AreQueriesWithTheirBands()
    {
        var rules = Fgc11.Rules.Where(r => r.PeerRange is not null).ToList();

        rules.Select(r => (r.Id, r.PeerRange!.Measure, r.Severity)).ShouldBe([
            ("P01", "acceptance_rate", Severity.Query),
            ("P02", "conversion_rate", Severity.Query),
            ("P03", "looked_after_after_fgc_rate", Severity.Query)]);
        rules[0].PeerRange!.ShouldSatisfyAllConditions(
            p => p.LowerPercentile.ShouldBe(5),
            p => p.UpperPercentile.ShouldBe(95),
            p => p.NeighbourMedianTimes.ShouldBe(2m),
            p => p.MinimumDenominator.ShouldBe(10m));
        rules[0].Assert.ShouldContain("Silent when there is no final benchmark yet");
    }
}
