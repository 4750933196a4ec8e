using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

public class SurveyDefinitionLoaderTests
{
    private static string Edit(string oldText, string newText)
    {
        TestDefinitions.Small.ShouldContain(oldText);
        return TestDefinitions.Small.Replace(oldText, newText, StringComparison.Ordinal);
    }

    private static IReadOnlyList<DefinitionProblem> Problems(string text, string path = TestDefinitions.SmallPath) =>
        SurveyDefinitionLoader.LoadText(path, text).Problems;

    private static DefinitionProblem Single(IReadOnlyList<DefinitionProblem> problems, string containing)
    {
        var matching = problems.Where(p => p.Message.Contains(containing, StringComparison.Ordinal)).ToList();
        matching.Count.ShouldBe(1, $"Problems: {string.Join(" | ", problems)}");
        return matching[0];
    }

    [Fact]
    public void LoadFolder_RealDefinitions_LoadWithZeroProblems()
    {
        var result = TestDefinitions.RealResult;

        result.Problems.ShouldBeEmpty(string.Join(Environment.NewLine, result.Problems));
        result.Definitions.Select(d => (d.SurveyId, d.Version, d.Status))
            .ShouldBe([("fgc-annual", "1.0", DefinitionStatus.Published), ("fgc-annual", "1.1", DefinitionStatus.Draft)]);
    }

    [Fact]
    public void LoadFolder_Fgc10_HasEverySectionRuleAndIndicator()
    {
        var definition = TestDefinitions.Fgc10;

        definition.Sections.Select(s => s.Key).ShouldBe(["service", "referrals", "offers", "conferences", "characteristics", "outcomes"]);
        definition.Rules.Select(r => r.Id).ShouldBe(["E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "Q01", "Q02", "Q03", "Q04", "Q05"]);
        definition.Indicators.Select(i => i.Key).ShouldBe([
            "acceptance_rate", "pre_proceedings_acceptance_rate", "conversion_rate", "plan_agreed_rate", "child_participation_rate",
            "referral_rate_per_10k", "fgc_rate_per_10k", "looked_after_after_fgc_rate", "coordinator_caseload"]);
        definition.FindIndicator("looked_after_after_fgc_rate")!.HigherIs.ShouldBe(HigherIs.Worse);
        definition.FindIndicator("fgc_rate_per_10k")!.Multiplier.ShouldBe(10000m);
        definition.FindQuestion("referrals_by_stage")!.Grid!.TotalOf.ShouldBe("referrals_children");
        definition.FindQuestion("service_model")!.AllowNotRecorded.ShouldBeFalse();
        definition.FindRule("E01")!.ItemKeys.ShouldBe(["families_accepted", "families_offered"]);
        definition.FindRule("Q04")!.ItemKeys.ShouldBe(["referrals_children"]);
        definition.ContentHash.Length.ShouldBe(64);
    }

    [Fact]
    public void LoadText_SmallDefinition_HasNoProblems()
    {
        var result = SurveyDefinitionLoader.LoadText(TestDefinitions.SmallPath, TestDefinitions.Small);

        result.Problems.ShouldBeEmpty();
        result.Definitions.Single().Questions.Count().ShouldBe(6);
    }

    [Fact]
    public void LoadText_DuplicateQuestionKey_ReportsSecondKeyPosition()
    {
        var problems = Problems(Edit("      - key: accepted", "      - key: offered"));

        var problem = Single(problems, "used twice");
        problem.Message.ShouldBe("The question key 'offered' is used twice (first on line 11): question keys must be unique in the survey.");
        (problem.File, problem.Line, problem.Column).ShouldBe((TestDefinitions.SmallPath, 15, 14));
    }

    [Fact]
    public void LoadText_RuleUsesUnknownKey_ReportsKeyColumn()
    {
        var problems = Problems(Edit("assert: accepted <= offered", "assert: accepted <= ofered"));

        var problem = problems.ShouldHaveSingleItem();
        problem.Message.ShouldBe("Rule E01 refers to 'ofered', which is not a question in this survey.");
        (problem.Line, problem.Column).ShouldBe((46, 25));
    }

    [Fact]
    public void LoadText_UnclosedBracket_ReportsBracketColumn()
    {
        var problem = Problems(Edit("assert: accepted <= offered", "assert: accepted <= (offered")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule E01 has a mistake in its 'assert' expression: This bracket '(' is never closed: add ')'.");
        (problem.Line, problem.Column).ShouldBe((46, 25));
    }

    [Fact]
    public void LoadText_StrayClosingBracket_ReportsItsColumn()
    {
        var problem = Problems(Edit("assert: accepted <= offered", "assert: accepted <= offered)")).ShouldHaveSingleItem();

        problem.Message.ShouldContain("closing bracket ')' without an opening one");
        (problem.Line, problem.Column).ShouldBe((46, 32));
    }

    [Fact]
    public void LoadText_ErrorInFoldedMultiLineExpression_ReportsLineAndColumnInsideBlock()
    {
        var text = Edit("    assert: accepted <= offered", "    assert: >-\n      accepted <= offered\n      and offered <= acepted");

        var problem = Problems(text).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule E01 refers to 'acepted', which is not a question in this survey.");
        (problem.Line, problem.Column).ShouldBe((48, 22));
    }

    [Fact]
    public void LoadText_DoubleQuotedExpression_CountsTheQuote()
    {
        var problem = Problems(Edit("assert: accepted <= offered", "assert: \"accepted <= ofered\"")).ShouldHaveSingleItem();

        (problem.Line, problem.Column).ShouldBe((46, 26));
    }

    [Fact]
    public void LoadText_TwoProblems_ReportsBothNotOnlyTheFirst()
    {
        var text = Edit("assert: accepted <= offered", "assert: acepted <= ofered");

        var problems = Problems(text);

        problems.Select(p => (p.Line, p.Column)).ShouldBe([(46, 13), (46, 24)]);
    }

    [Fact]
    public void LoadText_ChoiceComparedWithUnknownOption_ReportsLiteral()
    {
        var text = Edit("assert: accepted <= offered", "assert: model = 'none' or accepted <= offered");

        var problem = Problems(text).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule E01: 'none' is not an option of 'model'. Its options are: 'in_house', 'no_service'.");
        (problem.Line, problem.Column).ShouldBe((46, 21));
    }

    [Theory]
    [InlineData("sum(model) > 0", "sum() adds up numbers and grids, but 'model' is a choice question")]
    [InlineData("model < 'in_house'", "A choice question can only be compared with '=' or '!='")]
    [InlineData("offered > 'in_house'", "'>' compares two numbers, but 'in_house' is text.")]
    [InlineData("by_stage > 3", "'by_stage' is a grid: use sum(by_stage) for its total")]
    [InlineData("offered + accepted", "A rule must be a condition that is true or false")]
    [InlineData("has(systems, 'paper')", "'paper' is not an option of 'systems'")]
    [InlineData("has(model, 'in_house')", "has() works on multiple choice questions only")]
    [InlineData("by_stage.middle > 0", "'middle' is not a row of the grid 'by_stage'. Its rows are: early, late.")]
    [InlineData("offered.early > 0", "'offered' is not a grid")]
    [InlineData("previous(model) > 0", "previous() works on numbers only")]
    [InlineData("abs(offered, accepted) > 0", "abs() needs exactly 1 value, but has 2.")]
    [InlineData("if(offered, 1, 2) > 0", "The first part of if() must be a condition")]
    [InlineData("not offered", "'not' must be followed by a condition")]
    [InlineData("offered < accepted < 3", "Two comparisons cannot be chained")]
    [InlineData("summ(offered) > 0", "'summ' is not a function")]
    [InlineData("offered >= ", "ends too early")]
    [InlineData("offered = 'open", "no closing quote")]
    [InlineData("offered # 2", "'#' cannot be used")]
    public void LoadText_BadExpression_ReportsPlainMessage(string assert, string expected)
    {
        var problems = Problems(Edit("assert: accepted <= offered", "assert: \"" + assert.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

        problems.ShouldNotBeEmpty();
        problems.ShouldContain(p => p.Message.Contains(expected, StringComparison.Ordinal) && p.Line == 46, string.Join(" | ", problems));
    }

    [Fact]
    public void LoadText_GridTotalOfMissingItem_ReportsTotalOfValue()
    {
        var problem = Problems(Edit("total_of: offered", "total_of: offerd")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("The grid 'by_stage' must add up to 'offerd', which is not a question in this survey.");
        (problem.Line, problem.Column).ShouldBe((28, 19));
    }

    [Fact]
    public void LoadText_GridTotalOfNonCount_ReportsIt()
    {
        var problem = Problems(Edit("total_of: offered", "total_of: fte")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("The grid 'by_stage' must add up to 'fte', which is not a count question.");
    }

    [Fact]
    public void LoadText_IndicatorNonNumericItem_ReportsNumerator()
    {
        var text = Edit("numerator: accepted", "numerator: model");

        var problem = Problems(text).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Indicator 'rate' has 'model' as its numerator, but 'model' is not a number question (count or decimal).");
        var line = text.Split('\n')[48];
        (problem.Line, problem.Column).ShouldBe((49, line.IndexOf("model", StringComparison.Ordinal) + 1));
    }

    [Fact]
    public void LoadText_IndicatorPopulationDenominator_IsAccepted()
    {
        Problems(Edit("denominator: offered", "denominator: population_0_17")).ShouldBeEmpty();
    }

    [Fact]
    public void LoadText_IndicatorBadMultiplier_ReportsIt()
    {
        Single(Problems(Edit("multiplier: 100", "multiplier: 1000")), "multiplier 1000").Line.ShouldBe(49);
    }

    [Fact]
    public void LoadText_UnknownField_SuggestsTheRightOne()
    {
        var problems = Problems(Edit("label: Families offered", "lable: Families offered"));

        var unknown = Single(problems, "not a field");
        unknown.Message.ShouldBe("'lable' is not a field of a question. Did you mean 'label'?");
        (unknown.Line, unknown.Column).ShouldBe((12, 9));
        Single(problems, "has no 'label'").Message.ShouldBe("Question 'offered' has no 'label': add it.");
    }

    [Fact]
    public void LoadText_MissingRequiredField_ReportsIt()
    {
        var problem = Problems(Edit("title: Test survey\n", "")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("The survey definition has no 'title': add it.");
        (problem.Line, problem.Column).ShouldBe((1, 1));
    }

    [Fact]
    public void LoadText_WrongTypes_ReportEach()
    {
        var text = Edit("max: 5000", "max: lots").Replace("not_recorded_allowed: true\n      - key: model", "not_recorded_allowed: maybe\n      - key: model", StringComparison.Ordinal);

        var problems = Problems(text);

        Single(problems, "'max' must be a number").Line.ShouldBe(14);
        Single(problems, "'not_recorded_allowed' must be true or false, not 'maybe'.").Line.ShouldBe(18);
    }

    [Fact]
    public void LoadText_UnknownQuestionType_ListsTheTypes()
    {
        var problem = Problems(Edit("type: decimal", "type: number")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Question 'fte' has 'type: number', which is not allowed. Use one of: count, decimal, yes_no, single_choice, multiple_choice, text, count_grid.");
        (problem.Line, problem.Column).ShouldBe((41, 15));
    }

    [Fact]
    public void LoadText_FileNameDoesNotMatchVersion_ReportsVersion()
    {
        var problem = Problems(TestDefinitions.Small, "test-survey/1.1.yaml").ShouldHaveSingleItem();

        problem.Message.ShouldBe("The file name '1.1.yaml' does not match the version '1.0': name the file 1.0.yaml.");
        (problem.Line, problem.Column).ShouldBe((2, 10));
    }

    [Fact]
    public void LoadText_BadVersionText_ReportsIt()
    {
        Single(Problems(Edit("version: \"1.0\"", "version: one"), "test-survey/one.yaml"), "numbers separated by dots").Line.ShouldBe(2);
    }

    [Fact]
    public void LoadText_DuplicateRuleIdOptionAndSection_ReportEach()
    {
        var text = Edit("  - { value: no_service, label: No service }", "  - { value: in_house, label: No service }")
            + "\n  - id: E01\n    severity: query\n    assert: offered >= 0\n    message: Again";
        text = text.Replace("indicators:\n  - { key: rate, label: Rate, numerator: accepted, denominator: offered, multiplier: 100, unit: \"%\", higher_is: better }\n", "", StringComparison.Ordinal)
            + "\nindicators:\n  - { key: rate, label: Rate, numerator: accepted, denominator: offered, multiplier: 100, unit: \"%\", higher_is: better }";

        var problems = Problems(text);

        Single(problems, "The value 'in_house' is used twice").Line.ShouldBe(24);
        Single(problems, "The rule id 'E01' is used twice (first on line 44)").Line.ShouldBe(48);
    }

    [Fact]
    public void LoadText_UnknownPlaceholderInMessage_ReportsIt()
    {
        var problem = Problems(Edit("({accepted})", "({acepted})")).ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule E01 has '{acepted}' in its message, but 'acepted' is not a question in this survey.");
        (problem.Line, problem.Column).ShouldBe((47, 24));
    }

    [Fact]
    public void LoadText_InvalidYaml_ReportsPosition()
    {
        var problem = Problems(Edit("title: Test survey", "title: Test survey\n  - wrong: indent")).ShouldHaveSingleItem();

        problem.Message.ShouldStartWith("The file is not valid YAML");
        problem.Line.ShouldBe(4);
    }

    [Fact]
    public void LoadText_UnclosedFlowBracket_ReportsProblemInsteadOfThrowing()
    {
        var problem = Problems(Edit("title: Test survey", "title: [Test survey")).ShouldHaveSingleItem();

        problem.Message.ShouldStartWith("The file is not valid YAML");
    }

    [Fact]
    public void LoadText_DuplicateYamlKey_ReportsIt()
    {
        var problem = Problems(Edit("title: Test survey", "title: Test survey\ntitle: Again")).ShouldHaveSingleItem();

        problem.Message.ShouldStartWith("The file is not valid YAML");
        problem.Line.ShouldBe(4);
    }

    [Fact]
    public void LoadText_ChoiceWithoutOptions_ReportsIt()
    {
        var text = Edit("        options:\n          - { value: in_house, label: In-house }\n          - { value: no_service, label: No service }\n", "");

        Single(Problems(text), "Question 'model' has no 'options'").Line.ShouldBe(19);
    }

    [Fact]
    public void LoadTexts_LaterDraftWithLowerVersion_ReportsVersionNotIncreasing()
    {
        var draft = TestDefinitions.Small.Replace("version: \"1.0\"", "version: \"0.9\"", StringComparison.Ordinal)
            .Replace("status: published", "status: draft", StringComparison.Ordinal);

        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("test-survey/0.9.yaml", draft)]);

        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Message.ShouldBe("Version 0.9 is a draft but version 1.0 is already published: a new version must be higher than every published one.");
        (problem.File, problem.Line, problem.Column).ShouldBe(("test-survey/0.9.yaml", 2, 10));
        result.Definitions.ShouldHaveSingleItem().Version.ShouldBe("1.0");
    }

    [Fact]
    public void LoadTexts_SameVersionTwice_ReportsDuplicateVersion()
    {
        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("other/1.0.yaml", TestDefinitions.Small)]);

        Single(result.Problems, "is defined twice").File.ShouldBe("test-survey/1.0.yaml");
    }

    [Fact]
    public void LoadTexts_DifferentSurveyIdInSameFolder_ReportsIt()
    {
        var next = NextVersion("").Replace("survey_id: test-survey", "survey_id: other-survey", StringComparison.Ordinal);

        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("test-survey/1.1.yaml", next)]);

        Single(result.Problems, "does not match 'test-survey'").Line.ShouldBe(1);
    }

    [Fact]
    public void LoadTexts_MappingToMissingKey_ReportsIt()
    {
        var next = NextVersion("        mapped_from: [{ version: \"1.0\", key: offerred }]\n");

        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("test-survey/1.1.yaml", next)]);

        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Message.ShouldBe("Question 'offered_families' is mapped from 'offerred' in version 1.0, but version 1.0 has no question 'offerred'.");
        (problem.File, problem.Line).ShouldBe(("test-survey/1.1.yaml", 14));
    }

    [Fact]
    public void LoadTexts_MappingToMissingVersion_ReportsIt()
    {
        var next = NextVersion("        mapped_from: [{ version: \"0.5\", key: offered }]\n");

        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("test-survey/1.1.yaml", next)]);

        result.Problems.ShouldHaveSingleItem().Message.ShouldBe("Question 'offered_families' is mapped from version 0.5, but there is no version 0.5 of 'test-survey'.");
    }

    [Fact]
    public void LoadText_MappingToLaterVersion_ReportsIt()
    {
        var next = NextVersion("        mapped_from: [{ version: \"1.2\", key: offered }]\n");

        var problem = Problems(next, "test-survey/1.1.yaml").ShouldHaveSingleItem();

        problem.Message.ShouldBe("Question 'offered_families' is mapped from version 1.2, but a mapping must point to an earlier version than 1.1.");
    }

    [Fact]
    public void LoadTexts_ValidMapping_LoadsBoth()
    {
        var next = NextVersion("        mapped_from: [{ version: \"1.0\", key: offered }]\n");

        var result = SurveyDefinitionLoader.LoadTexts([(TestDefinitions.SmallPath, TestDefinitions.Small), ("test-survey/1.1.yaml", next)]);

        result.Problems.ShouldBeEmpty();
        result.Definitions.Count.ShouldBe(2);
    }

    [Fact]
    public void ComputeHash_LineEndingsDiffer_GivesSameHash()
    {
        var lf = SurveyDefinitionLoader.ComputeHash("a: 1\nb: 2\n");
        var crlf = SurveyDefinitionLoader.ComputeHash("a: 1\r\nb: 2\r\n");

        crlf.ShouldBe(lf);
        lf.Length.ShouldBe(64);
        lf.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a: 1\nb: 2\n"u8)));
        SurveyDefinitionLoader.ComputeHash("a: 1\nb: 3\n").ShouldNotBe(lf);
    }

    [Fact]
    public void LoadFolder_MissingFolder_ReportsIt()
    {
        var result = SurveyDefinitionLoader.LoadFolder(Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N")));

        result.Problems.ShouldHaveSingleItem().Message.ShouldContain("does not exist");
    }

    /// <summary>Version 1.1 of the small survey with 'offered' renamed to 'offered_families' and the given mapping lines.</summary>
    private static string NextVersion(string mappingLines) =>
        TestDefinitions.Small
            .Replace("version: \"1.0\"", "version: \"1.1\"", StringComparison.Ordinal)
            .Replace("status: published", "status: draft", StringComparison.Ordinal)
            .Replace("      - key: offered\n        label: Families offered\n        type: count\n", "      - key: offered_families\n        label: Families offered\n        type: count\n" + mappingLines, StringComparison.Ordinal)
            .Replace("total_of: offered", "total_of: offered_families", StringComparison.Ordinal)
            .Replace("accepted <= offered", "accepted <= offered_families", StringComparison.Ordinal)
            .Replace("({offered})", "({offered_families})", StringComparison.Ordinal)
            .Replace("denominator: offered,", "denominator: offered_families,", StringComparison.Ordinal);
}
