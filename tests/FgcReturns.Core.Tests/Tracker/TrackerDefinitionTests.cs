using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.SurveyDefinitions;

namespace FgcReturns.Core.Tests.Tracker;

/// <summary>The definitions checker on the tracker block: each mistake is named with its line.</summary>
public sealed class TrackerDefinitionTests
{
    private static string Fgc11Text => File.ReadAllText(Path.Combine(TestDefinitions.DefinitionsFolder, "fgc-annual", "1.1.yaml"));

    private static IReadOnlyList<DefinitionProblem> ProblemsAfter(string oldText, string newText)
    {
        Fgc11Text.ShouldContain(oldText);
        return SurveyDefinitionLoader.LoadText("fgc-annual/1.1.yaml", Fgc11Text.Replace(oldText, newText, StringComparison.Ordinal)).Problems;
    }

    [Fact]
    public void Load_Fgc11_HasTheTrackerWithItsDerivationsAndFgc10HasNone()
    {
        var tracker = TestDefinitions.Fgc11.Tracker.ShouldNotBeNull();

        tracker.FamilyKey.ShouldBe("reference");
        tracker.Columns.Count.ShouldBe(12);
        tracker.DerivationFor("referrals_by_stage")!.By.ShouldBe("stage");
        tracker.DerivationFor("median_days_referral_to_fgc")!.Kind.ShouldBe(DerivationKind.MedianWorkingDays);
        tracker.DerivationFor("children_by_age").ShouldBeNull();
        tracker.BankHolidays.ShouldContain(new DateOnly(2025, 12, 25));
        TestDefinitions.Fgc10.Tracker.ShouldBeNull();
    }

    public static TheoryData<string, string, string> Mistakes() => new()
    {
        { "families_offered: { count: families, in_period: offered_date }", "families_offerd: { count: families, in_period: offered_date }", "'families_offerd' in derive is not a question in this survey." },
        { "families_offered: { count: families, in_period: offered_date }", "families_offered: { count: families, in_period: offer_date }", "'in_period' must name a date column of the tracker, not 'offer_date'" },
        { "referrals_children: { sum: children, in_period: referral_date }", "referrals_children: { sum: stage, in_period: referral_date }", "'sum' must name a count column of the tracker, not 'stage'" },
        { "referrals_by_stage: { sum: children, in_period: referral_date, by: stage }", "referrals_by_stage: { sum: children, in_period: referral_date }", "is a grid, so say which choice column gives its rows with 'by'" },
        { "families_accepted: { count: families, in_period: offered_date, where: { response: accepted } }", "families_accepted: { count: families, in_period: offered_date, where: { response: agreed } }", "'response' in where must be present, absent, or one of: accepted, declined" },
        { "median_days_referral_to_fgc: { median_working_days: [referral_date, initial_fgc_date], in_period: initial_fgc_date }", "median_days_referral_to_fgc: { count: families, in_period: initial_fgc_date }", "a count gives a count, but 'median_days_referral_to_fgc' is a decimal question" },
        { "family_key: reference", "family_key: stage", "family_key 'stage' must be one of its columns of type reference" },
        { "not_before: referral_date }", "not_before: referal_date }", "has not_before 'referal_date', which is not a date column of the tracker" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Load_TrackerMistake_IsReportedWithItsLine(string oldText, string newText, string expected)
    {
        var problems = ProblemsAfter(oldText, newText);

        problems.ShouldContain(p => p.Message.Contains(expected, StringComparison.Ordinal) && p.Line > 390, string.Join(" | ", problems));
    }
}
