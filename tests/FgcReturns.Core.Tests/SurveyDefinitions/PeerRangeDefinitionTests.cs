using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

/// <summary>The checker's handling of the peer_range rule kind.</summary>
public class PeerRangeDefinitionTests
{
    private const string PeerRule = """
          - id: P01
            severity: query
            peer_range:
              measure: rate
              name: acceptance rate
              below_england_percentile: 5
              above_england_percentile: 95
              neighbour_median_times: 2
              minimum_denominator: 10
        """;

    private static string WithRule(string rule) =>
        TestDefinitions.Small.Replace("indicators:", rule.TrimEnd() + "\nindicators:", StringComparison.Ordinal);

    private static IReadOnlyList<DefinitionProblem> Problems(string rule) =>
        SurveyDefinitionLoader.LoadText(TestDefinitions.SmallPath, WithRule(rule)).Problems;

    private static DefinitionProblem SingleProblem(string rule)
    {
        var problems = Problems(rule);
        problems.Count.ShouldBe(1, string.Join(" | ", problems));
        return problems[0];
    }

    [Fact]
    public void LoadText_PeerRangeOnIndicator_LoadsAsAQueryOverItsOperands()
    {
        var rule = TestDefinitions.SmallWithRules(PeerRule).FindRule("P01")!;

        rule.Severity.ShouldBe(Severity.Query);
        rule.Expression.ShouldBeNull();
        rule.PeerRange!.ShouldSatisfyAllConditions(
            p => p.Measure.ShouldBe("rate"),
            p => p.Name.ShouldBe("acceptance rate"),
            p => p.LowerPercentile.ShouldBe(5),
            p => p.UpperPercentile.ShouldBe(95),
            p => p.NeighbourMedianTimes.ShouldBe(2m),
            p => p.MinimumDenominator.ShouldBe(10m),
            p => p.Operands.ShouldBe(["accepted", "offered"]));
        rule.ItemKeys.ShouldBe(["accepted", "offered"]);
        rule.Assert.ShouldBe("peer_range rate: a query when the value is below the 5th percentile of England, or above the 95th percentile of England, "
            + "or more than 2 times, or less than 1/2 of, the statistical neighbours' median, in the latest final benchmark "
            + "(only when the denominator is at least 10). Silent when there is no final benchmark yet (the first year).");
        rule.Message.ShouldStartWith("Your acceptance rate, [value], is lower than 95% of local authorities last year (England median [median]).");
    }

    [Fact]
    public void LoadText_PeerRangeOnDecimalQuestion_IsAccepted()
    {
        Problems(PeerRule.Replace("measure: rate", "measure: fte", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public void LoadText_PeerRangeAsAnError_IsRefused()
    {
        SingleProblem(PeerRule.Replace("severity: query", "severity: error", StringComparison.Ordinal))
            .Message.ShouldBe("Rule P01 is a peer_range rule, which raises a query, never an error: use 'severity: query'.");
    }

    [Fact]
    public void LoadText_PeerRangeOnACount_AsksForAnIndicator()
    {
        SingleProblem(PeerRule.Replace("measure: rate", "measure: offered", StringComparison.Ordinal))
            .Message.ShouldBe("Rule P01 compares 'offered', a count: local authorities differ in size, so compare an indicator instead (a rate, or per 10,000 children).");
    }

    [Fact]
    public void LoadText_PeerRangeOnUnknownMeasure_ReportsItsLine()
    {
        var text = WithRule(PeerRule.Replace("measure: rate", "measure: rates", StringComparison.Ordinal));
        var problem = SurveyDefinitionLoader.LoadText(TestDefinitions.SmallPath, text).Problems.ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule P01 compares 'rates', which is not an indicator or a question in this survey.");
        text.Split('\n')[problem.Line - 1].ShouldContain("measure: rates");
    }

    [Fact]
    public void LoadText_PeerRangeWithAnAssert_IsRefused()
    {
        SingleProblem(PeerRule.Replace("severity: query", "severity: query\n    assert: accepted <= offered", StringComparison.Ordinal))
            .Message.ShouldBe("Rule P01 is a peer_range rule, so it has no 'assert': it writes its own message from the benchmark figures.");
    }

    [Fact]
    public void LoadText_PeerRangeWithoutABand_IsRefused()
    {
        var rule = """
              - id: P01
                severity: query
                peer_range:
                  measure: rate
                  name: acceptance rate
            """;

        SingleProblem(rule).Message.ShouldBe("Rule P01 has no band: give below_england_percentile, above_england_percentile or neighbour_median_times.");
    }

    [Theory]
    [InlineData("below_england_percentile: 5", "below_england_percentile: 0", "Rule P01 has below_england_percentile 0: it must be a whole number from 1 to 99.")]
    [InlineData("above_england_percentile: 95", "above_england_percentile: 4", "Rule P01 has above_england_percentile 4, which must be higher than below_england_percentile 5.")]
    [InlineData("neighbour_median_times: 2", "neighbour_median_times: 1", "Rule P01 has neighbour_median_times 1: it must be more than 1, like 2 for twice or half the neighbours' median.")]
    [InlineData("minimum_denominator: 10", "minimum_denominator: -1", "Rule P01 has minimum_denominator -1: it must be 0 or more.")]
    [InlineData("name: acceptance rate", "nmae: acceptance rate", "'nmae' is not a field of a peer_range. Did you mean 'name'?")]
    public void LoadText_PeerRangeBadBand_ReportsIt(string oldText, string newText, string expected)
    {
        Problems(PeerRule.Replace(oldText, newText, StringComparison.Ordinal)).Select(p => p.Message).ShouldContain(expected);
    }

    [Fact]
    public void SchemaCheck_PeerRangeRule_PassesTheEditorsSchemaAndAnAssertBesideItDoesNot()
    {
        var (schema, _) = DefinitionSchemaCheck.ReadSchema("schema", File.ReadAllText(Path.Combine(TestDefinitions.DefinitionsFolder, DefinitionSchemaCheck.SchemaFileName)));

        DefinitionSchemaCheck.Check(schema!, TestDefinitions.SmallPath, WithRule(PeerRule)).ShouldBeEmpty();
        DefinitionSchemaCheck.Check(schema!, TestDefinitions.SmallPath,
            WithRule(PeerRule.Replace("severity: query", "severity: query\n    assert: accepted <= offered", StringComparison.Ordinal))).ShouldNotBeEmpty();
        DefinitionSchemaCheck.Check(schema!, TestDefinitions.SmallPath,
            WithRule(PeerRule.Replace("severity: query", "severity: error", StringComparison.Ordinal))).ShouldNotBeEmpty();
    }
}
