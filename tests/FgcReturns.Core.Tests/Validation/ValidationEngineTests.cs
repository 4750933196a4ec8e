using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Tests.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Core.Tests.Validation;

public class ValidationEngineTests
{
    private static SurveyDefinition Fgc10 => TestDefinitions.Fgc10;

    private static ValidationResult Validate(ReturnValuesBuilder values, ReturnValuesBuilder? previous = null) =>
        ValidationEngine.Validate(Fgc10, values.Build(), previous?.Build());

    [Fact]
    public void Validate_ValidFgc10Return_HasNoIssues()
    {
        var result = Validate(ReturnValuesBuilder.ValidFgc10(), ReturnValuesBuilder.PreviousFgc10());

        result.Issues.ShouldBeEmpty(string.Join(" | ", result.Issues.Select(i => i.RuleId + ": " + i.Message)));
        result.HasErrors.ShouldBeFalse();
    }

    [Fact]
    public void Validate_ValidFgc11Return_HasNoIssues()
    {
        var result = ValidationEngine.Validate(TestDefinitions.Fgc11, ReturnValuesBuilder.ValidFgc11().Build(), null);

        result.Issues.ShouldBeEmpty(string.Join(" | ", result.Issues.Select(i => i.RuleId + ": " + i.Message)));
    }

    public static TheoryData<string, string[]> FailingRules() => new()
    {
        { "E01,E02", ["families_accepted=51", "families_declined=0"] },
        { "E02", ["families_declined=11"] },
        { "E03", ["accepted_pre_proceedings=16"] },
        { "E03", ["offered_pre_proceedings=51", "accepted_pre_proceedings=1"] },
        { "E04", ["children_disabled=71"] },
        { "E05", ["plans_agreed=37"] },
        { "E05", ["fgcs_held_pre_proceedings=37", "plans_agreed=NR"] },
        { "E06,Q01", ["fgcs_held=71"] },
        { "E07", ["referrals_families=121"] },
        { "E08", ["outcome_not_known=6"] },
        { "E08", ["outcome_proceedings_issued=71"] },
        { "Q01", ["fgcs_held=41", "children_in_fgcs=70"] },
        { "Q03", ["families_accepted=9", "families_declined=30", "fgcs_held=9", "plans_agreed=9", "child_participated=9", "advocate_supported=9", "fgcs_held_pre_proceedings=9", "accepted_pre_proceedings=5"] },
        { "Q04", ["referrals_children=0", "referrals_families=0", "referrals_by_stage.early_help=0", "referrals_by_stage.child_in_need=0", "referrals_by_stage.child_protection=0", "referrals_by_stage.pre_proceedings=0", "referrals_by_stage.care_proceedings=0", "referrals_by_stage.looked_after=0", "referrals_by_stage.other_or_not_known=0"] },
        { "Q05", ["advocacy_offered=no"] },
    };

    [Theory]
    [MemberData(nameof(FailingRules))]
    public void Validate_ValuesBreakingRule_RaisesOnlyThatRule(string ruleIds, string[] changes)
    {
        var values = Apply(ReturnValuesBuilder.ValidFgc10(), changes);

        var result = Validate(values);

        result.Issues.Select(i => i.RuleId).ShouldBe(ruleIds.Split(','), string.Join(" | ", result.Issues.Select(i => i.RuleId + ": " + i.Message)));
        var ruleId = ruleIds.Split(',')[0];
        var issue = result.Issues[0];
        issue.Kind.ShouldBe(IssueKind.Rule);
        issue.Severity.ShouldBe(ruleId.StartsWith('E') ? Severity.Error : Severity.Query);
        issue.Message.ShouldNotContain("{");
    }

    [Fact]
    public void Validate_E01Broken_FillsMessageWithFormattedValues()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("families_offered", "1,037").With("families_accepted", "1042")
            .With("families_declined", "0").With("fgcs_held", "36");

        var issue = Validate(values).Issues[0];

        issue.RuleId.ShouldBe("E01");
        issue.Message.ShouldBe("Families who agreed to an FGC (1,042) cannot be more than families offered one (1,037)");
        issue.ItemKeys.ShouldBe(["families_accepted", "families_offered"]);
    }

    [Fact]
    public void Validate_RuleOperandNotRecorded_SkipsRule()
    {
        var values = ReturnValuesBuilder.ValidFgc10().NotRecorded("referrals_families").With("referrals_children", "120");

        Validate(values).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_RuleOperandUnanswered_SkipsRule()
    {
        var values = ReturnValuesBuilder.ValidFgc10().Without("families_declined").With("families_accepted", "50");

        Validate(values).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_OneConditionFailsAndAnotherSkipped_StillRaises()
    {
        var values = ReturnValuesBuilder.ValidFgc10().NotRecorded("child_participated").With("plans_agreed", "40");

        Validate(values).Issues.Select(i => i.RuleId).ShouldBe(["E05"]);
    }

    [Fact]
    public void Validate_NoServiceWithCounts_RaisesE09()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("service_model", "no_service");

        var result = Validate(values);

        result.Issues.Select(i => i.RuleId).ShouldBe(["E09"]);
        result.Issues[0].Message.ShouldBe("You said you have no FGC service, so every count must be 0 or not recorded");
        result.Issues[0].ItemKeys.ShouldBe(["service_model"]);
    }

    [Fact]
    public void Validate_NoServiceWithZeroOrNotRecordedCounts_PassesE09()
    {
        var values = ReturnValuesBuilder.Empty()
            .With("service_model", "no_service")
            .With("referrals_children", "0")
            .With("families_offered", "0")
            .With("families_accepted", "0")
            .With("fgcs_held", "0")
            .With("children_in_fgcs", "0")
            .NotRecorded("referrals_families")
            .GridNotRecorded("children_by_sex", "male", "female", "not_known");

        Validate(values).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_NoServiceWithOneGridCell_RaisesE09()
    {
        var values = ReturnValuesBuilder.Empty().With("service_model", "No FGC service").With("not_proceeded_by_reason.other", "1");

        Validate(values).Issues.Select(i => i.RuleId).ShouldBe(["E09"]);
    }

    [Fact]
    public void Validate_YearOnYearChangeOverHalfAndOverTen_RaisesQ02()
    {
        var previous = ReturnValuesBuilder.ValidFgc10().With("referrals_children", "70");

        var issue = Validate(ReturnValuesBuilder.ValidFgc10(), previous).Issues.ShouldHaveSingleItem();

        issue.RuleId.ShouldBe("Q02");
        issue.Severity.ShouldBe(Severity.Query);
        issue.Message.ShouldContain("children referred (120, last year 70)");
    }

    [Theory]
    [InlineData("fgcs_held", "20")]
    [InlineData("families_offered", "30")]
    [InlineData("fgcs_held", "80")]
    public void Validate_YearOnYearBigChangeInAnyItem_RaisesQ02(string key, string previousValue)
    {
        var previous = ReturnValuesBuilder.ValidFgc10().With(key, previousValue);

        Validate(ReturnValuesBuilder.ValidFgc10(), previous).Issues.Select(i => i.RuleId).ShouldBe(["Q02"]);
    }

    [Theory]
    [InlineData("4", "12")]
    [InlineData("100", "140")]
    public void Validate_YearOnYearChangeNotBothOverHalfAndOverTen_PassesQ02(string previousValue, string currentValue)
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("referrals_children", currentValue).WithGrid("referrals_by_stage", ("other_or_not_known", long.Parse(currentValue, System.Globalization.CultureInfo.InvariantCulture) - 115))
            .With("referrals_families", "1");
        var previous = ReturnValuesBuilder.ValidFgc10().With("referrals_children", previousValue);

        var result = Validate(values, previous);

        result.Issues.Where(i => i.RuleId == "Q02").ShouldBeEmpty();
    }

    [Fact]
    public void Validate_NoPreviousReturn_SkipsQ02()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "36");

        Validate(values, previous: null).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_PreviousNotRecorded_SkipsQ02ForThatItem()
    {
        var previous = ReturnValuesBuilder.PreviousFgc10().NotRecorded("referrals_children");

        Validate(ReturnValuesBuilder.ValidFgc10().With("referrals_children", "1000").With("referrals_by_stage.other_or_not_known", "885"), previous)
            .Issues.Where(i => i.RuleId == "Q02").ShouldBeEmpty();
    }

    [Fact]
    public void Validate_GridNotAddingUp_RaisesGridTotalFieldIssue()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("children_by_sex.not_known", "3");

        var issue = Validate(values).Issues.ShouldHaveSingleItem();

        issue.RuleId.ShouldBe("FIELD-GRID-TOTAL");
        issue.Kind.ShouldBe(IssueKind.Field);
        issue.Severity.ShouldBe(Severity.Error);
        issue.Message.ShouldBe("Children whose family had an initial FGC, by sex add up to 72, but children whose family had an initial FGC is 70: the figures must add up to the same total");
        issue.ItemKeys.ShouldBe(["children_by_sex", "children_in_fgcs"]);
    }

    [Fact]
    public void Validate_GridPartlyNotRecorded_SkipsGridTotal()
    {
        var values = ReturnValuesBuilder.ValidFgc10().NotRecorded("children_by_sex.not_known").With("children_by_sex.male", "1");

        Validate(values).Issues.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("families_offered", "12.5", "FIELD-WHOLE", "Families offered an FGC must be a whole number, like 12")]
    [InlineData("families_offered", "twelve", "FIELD-WHOLE", "Families offered an FGC must be a whole number, like 12")]
    [InlineData("families_offered", "-1", "FIELD-NEGATIVE", "Families offered an FGC must be 0 or more")]
    [InlineData("families_offered", "100001", "FIELD-MAX", "Families offered an FGC must be 100,000 or fewer")]
    [InlineData("coordinators_fte", "abc", "FIELD-DECIMAL", "FGC coordinators employed at 31 March (full-time equivalent) must be a number, like 2.5")]
    [InlineData("coordinators_fte", "1000.5", "FIELD-MAX", "FGC coordinators employed at 31 March (full-time equivalent) must be 1,000 or less")]
    [InlineData("service_model", "council", "FIELD-CHOICE", "How is your FGC service delivered? must be one of: In-house; Commissioned from an external provider; Mixed; No FGC service")]
    [InlineData("advocacy_offered", "maybe", "FIELD-CHOICE", "Is independent advocacy offered to children and young people? must be yes or no")]
    [InlineData("families_offered", "NR", "FIELD-NOT-RECORDED", "Families offered an FGC cannot be 'not recorded': enter an answer")]
    [InlineData("families_offered", null, "FIELD-NOT-RECORDED", "Families offered an FGC cannot be 'not recorded': enter an answer")]
    [InlineData("referrals_by_stage.early_help", "2.5", "FIELD-WHOLE", "Children referred, by stage at referral: Early help must be a whole number, like 12")]
    [InlineData("recording_systems", "spreadsheet,paper", "FIELD-CHOICE", "'paper' is not an option for Where is FGC data recorded?. Choose from: Case management system; FGC service database; Spreadsheet; Other")]
    public void Validate_BadFieldValue_RaisesFieldIssue(string key, string? value, string ruleId, string message)
    {
        var values = ReturnValuesBuilder.ValidFgc10().With(key, value);

        var issue = Validate(values).Issues.First();

        issue.RuleId.ShouldBe(ruleId);
        issue.Kind.ShouldBe(IssueKind.Field);
        issue.Severity.ShouldBe(Severity.Error);
        issue.Message.ShouldBe(message);
        issue.ItemKeys.ShouldBe([key]);
    }

    [Fact]
    public void Validate_FieldErrorOnRuleOperand_SkipsTheRule()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("families_offered", "lots").With("families_accepted", "60");

        Validate(values).Issues.Select(i => i.RuleId).ShouldBe(["FIELD-WHOLE"]);
    }

    [Fact]
    public void Validate_TolerantInput_AcceptsSeparatorsSpacesLabelsAndNotRecordedText()
    {
        var values = ReturnValuesBuilder.ValidFgc10()
            .With("families_offered", " 50 ")
            .With("service_model", "In-house")
            .With("advocacy_offered", "YES")
            .With("review_fgcs_held", "n/r")
            .With("recording_systems", "Spreadsheet, case_management_system");

        Validate(values).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_IssuesInDefinitionOrder_FieldsThenRules()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("referrals_families", "121").With("coordinators_fte", "x").With("families_accepted", "51").With("families_declined", "0");

        Validate(values).Issues.Select(i => i.RuleId).ShouldBe(["FIELD-DECIMAL", "E01", "E02", "E07"]);
    }

    [Fact]
    public void For_GridKey_FindsCellIssues()
    {
        var result = Validate(ReturnValuesBuilder.ValidFgc10().With("children_by_age.under_1", "x"));

        result.For("children_by_age").ShouldHaveSingleItem().RuleId.ShouldBe("FIELD-WHOLE");
        result.For("children_by_age.under_1").ShouldHaveSingleItem();
        result.For("children_in_fgcs").ShouldBeEmpty();
    }

    [Fact]
    public void Unanswered_PartialReturn_ListsMissingQuestionsInOrder()
    {
        var values = ReturnValuesBuilder.ValidFgc10().Without("coordinators_fte").Without("children_by_sex.male").NotRecorded("review_fgcs_held").Build();

        ValidationEngine.Unanswered(Fgc10, values).Select(q => q.Key).ShouldBe(["coordinators_fte", "children_by_sex"]);
    }

    [Fact]
    public void SectionStatus_Of_ReportsEachState()
    {
        var service = Fgc10.FindSection("service")!;
        var referrals = Fgc10.FindSection("referrals")!;
        var offers = Fgc10.FindSection("offers")!;
        var values = ReturnValuesBuilder.ValidFgc10().Without("referrals_families").With("families_accepted", "51").With("families_declined", "0");
        var notStarted = ReturnValuesBuilder.Empty().Build();
        var result = Validate(values);

        SectionStatus.Of(service, values.Build(), result).ShouldBe(SectionState.Completed);
        SectionStatus.Of(referrals, values.Build(), result).ShouldBe(SectionState.InProgress);
        SectionStatus.Of(offers, values.Build(), result).ShouldBe(SectionState.HasErrors);
        SectionStatus.Of(service, notStarted, Array.Empty<ValidationIssue>()).ShouldBe(SectionState.NotStarted);
    }

    [Fact]
    public void Validate_Fgc11FgdmRules_RaiseE10ToE12AndQ06Q07()
    {
        var definition = TestDefinitions.Fgc11;
        string[] Ids(ReturnValuesBuilder b) => ValidationEngine.Validate(definition, b.Build(), null).Issues.Select(i => i.RuleId).ToArray();

        Ids(ReturnValuesBuilder.ValidFgc11().With("fgdm_offered", "27")).ShouldBe(["E10"]);
        Ids(ReturnValuesBuilder.ValidFgc11().With("fgdm_accepted", "27").With("fgdm_held_before_application", "25")).ShouldBe(["E11"]);
        Ids(ReturnValuesBuilder.ValidFgc11().With("fgdm_held_before_application", "19")).ShouldBe(["E12"]);
        Ids(ReturnValuesBuilder.ValidFgc11().With("fgdm_offered", "20")).ShouldBe(["Q06"]);
        Ids(ReturnValuesBuilder.ValidFgc11().With("fgdm_held_before_application", "10")).ShouldBe(["Q07"]);
        Ids(ReturnValuesBuilder.ValidFgc11().NotRecorded("fgdm_applications")).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_YearOnYearQueryWithAnItemUnanswered_RaisesNothing()
    {
        // Children referred changed from 70 to 120, but FGCs held is not answered yet: Q02 would say
        // "Initial FGCs held (not answered, …) … changed by more than half", so it waits until all its items are answered.
        var previous = ReturnValuesBuilder.ValidFgc10().With("referrals_children", "70");

        var result = Validate(ReturnValuesBuilder.ValidFgc10().Without("fgcs_held"), previous);

        result.Queries.ShouldBeEmpty(string.Join(" | ", result.Issues.Select(i => i.RuleId + ": " + i.Message)));
    }

    [Fact]
    public void Validate_QueryRaised_IsAPlainSentenceEndingInAFullStop()
    {
        var result = Validate(ReturnValuesBuilder.ValidFgc10().With("advocacy_offered", "no"));

        var query = result.Queries.ShouldHaveSingleItem();
        query.Message.ShouldBe("You said advocacy is not offered, but 12 initial FGCs had an advocate. Check the answers, or explain why they are right.");
    }

    [Theory]
    [InlineData("Check the figures, or explain", "Check the figures, or explain why they are right.")]
    [InlineData("Check the figures, or explain the change", "Check the figures, or explain the change.")]
    [InlineData("Already a sentence.", "Already a sentence.")]
    public void QuerySentence_Message_EndsAsAPlainSentence(string message, string expected) =>
        ValidationEngine.QuerySentence(message).ShouldBe(expected);

    [Fact]
    public void GridTotal_SomeCellsBlankOrInvalid_SumsTheValidCellsAndIsIncomplete()
    {
        var grid = Fgc10.FindQuestion("referrals_by_stage")!;
        var values = new Dictionary<string, string?>
        {
            ["referrals_by_stage.early_help"] = "1,200",
            ["referrals_by_stage.child_in_need"] = "-3",
            ["referrals_by_stage.child_protection"] = "7",
        };

        var (sum, complete) = ValidationEngine.GridTotal(grid, values);

        sum.ShouldBe(1207m);
        complete.ShouldBeFalse();
    }

    private static ReturnValuesBuilder Apply(ReturnValuesBuilder builder, string[] changes)
    {
        foreach (var change in changes)
        {
            var parts = change.Split('=', 2);
            builder.With(parts[0], parts[1] == "NR" ? null : parts[1]);
        }

        return builder;
    }
}
