using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

public class ExpressionTests
{
    private static readonly SurveyDefinition Small = TestDefinitions.LoadSmall();

    private static ExpressionValue Eval(
        string text,
        ReturnValuesBuilder? values = null,
        ReturnValuesBuilder? previous = null,
        NotRecordedHandling mode = NotRecordedHandling.Skip)
    {
        var expression = Expression.Parse(text);
        expression.TypeCheck(Small).ShouldBeEmpty();
        return expression.Evaluate(new EvaluationContext(Small, (values ?? Values()).Build(), previous?.Build(), mode));
    }

    private static ReturnValuesBuilder Values() => ReturnValuesBuilder.Empty()
        .With("offered", "10").With("accepted", "4").With("model", "in_house")
        .With("by_stage.early", "6").With("by_stage.late", "4").With("systems", "cms").With("fte", "2.5");

    [Theory]
    [InlineData("1 + 2 * 3 = 7")]
    [InlineData("(1 + 2) * 3 = 9")]
    [InlineData("10 - 4 - 3 = 3")]
    [InlineData("12 / 4 / 3 = 1")]
    [InlineData("-2 * 3 = -6")]
    [InlineData("--2 = 2")]
    [InlineData("-(1 + 2) = -3")]
    [InlineData("offered - accepted * 2 = 2")]
    [InlineData("1 < 2 and 2 < 3")]
    [InlineData("1 > 2 or 2 < 3")]
    [InlineData("not 1 > 2")]
    [InlineData("not (1 < 2 and 2 > 3)")]
    [InlineData("1 = 2 and 1 = 1 or 2 = 2")]
    [InlineData("1 != 2 and 1 <= 1 and 2 >= 2")]
    [InlineData("0.5 * offered = 5")]
    [InlineData("abs(accepted - offered) = 6")]
    [InlineData("min(offered, accepted, 7) = 4")]
    [InlineData("max(offered, accepted, 7) = 10")]
    [InlineData("if(offered > 5, 1, 2) = 1")]
    [InlineData("if(offered < 5, 1, 2) = 2")]
    [InlineData("sum(by_stage) = offered")]
    [InlineData("sum(by_stage, accepted, 1) = 15")]
    [InlineData("by_stage.early = 6")]
    [InlineData("model = 'in_house'")]
    [InlineData("'in_house' = model")]
    [InlineData("model != 'no_service'")]
    [InlineData("has(systems, 'cms') and not has(systems, 'sheet')")]
    [InlineData("answered(offered) and not not_recorded(offered)")]
    [InlineData("fte * 2 = 5")]
    public void Evaluate_TrueExpression_GivesTrue(string text)
    {
        Eval(text).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_DivisionByZero_Skips()
    {
        var values = Values().With("offered", "0");

        Eval("accepted / offered > 0.2", values).IsSkip.ShouldBeTrue();
        Expression.Parse("accepted / offered > 0.2").EvaluateCondition(new EvaluationContext(Small, values.Build())).ShouldBe(RuleOutcome.Skipped);
    }

    [Fact]
    public void Evaluate_DivisionByZeroInOrWithTrueSide_IsTrue()
    {
        Eval("offered = 0 or accepted / offered > 0.2", Values().With("offered", "0")).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_NotRecordedOperand_SkipsByDefault()
    {
        Eval("accepted <= offered", Values().NotRecorded("accepted")).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_UnansweredOperand_SkipsByDefault()
    {
        Eval("accepted <= offered", Values().Without("accepted")).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_NotRecordedWithEvaluateMode_CountsAsZero()
    {
        Eval("accepted + offered = 10", Values().NotRecorded("accepted"), mode: NotRecordedHandling.Evaluate).ShouldBe(ExpressionValue.Of(true));
        Eval("sum(by_stage) = 4", Values().NotRecorded("by_stage.early"), mode: NotRecordedHandling.Evaluate).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_NotRecordedFunction_DistinguishesNotRecordedFromZeroAndUnanswered()
    {
        Eval("not_recorded(accepted)", Values().NotRecorded("accepted")).ShouldBe(ExpressionValue.Of(true));
        Eval("not_recorded(accepted)", Values().With("accepted", "0")).ShouldBe(ExpressionValue.Of(false));
        Eval("not_recorded(accepted)", Values().Without("accepted")).ShouldBe(ExpressionValue.Of(false));
        Eval("not_recorded(accepted)", Values().With("accepted", "Not Recorded")).ShouldBe(ExpressionValue.Of(true));
        Eval("answered(accepted)", Values().Without("accepted")).ShouldBe(ExpressionValue.Of(false));
        Eval("answered(accepted)", Values().With("accepted", "  ")).ShouldBe(ExpressionValue.Of(false));
    }

    [Fact]
    public void Evaluate_SkipInAnd_FalseWinsOtherwiseSkip()
    {
        var values = Values().NotRecorded("accepted");

        Eval("accepted < 1 and offered < 1", values).ShouldBe(ExpressionValue.Of(false));
        Eval("accepted < 1 and offered > 1", values).IsSkip.ShouldBeTrue();
        Eval("accepted < 1 or offered > 1", values).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_Previous_ReadsPreviousReturn()
    {
        var previous = ReturnValuesBuilder.Empty().With("offered", "4");

        Eval("offered - previous(offered) = 6", previous: previous).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_PreviousWithoutPreviousReturn_Skips()
    {
        Eval("offered - previous(offered) = 6").IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_PreviousNotRecordedEvenInEvaluateMode_Skips()
    {
        var previous = ReturnValuesBuilder.Empty().NotRecorded("offered");

        Eval("offered > previous(offered)", previous: previous, mode: NotRecordedHandling.Evaluate).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_SumOverGridWithNotRecordedCell_Skips()
    {
        Eval("sum(by_stage) = 10", Values().NotRecorded("by_stage.late")).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_InvalidValue_Skips()
    {
        Eval("offered > 1", Values().With("offered", "ten")).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_ChoiceByLabel_IsCanonicalised()
    {
        Eval("model = 'no_service'", Values().With("model", "No service")).ShouldBe(ExpressionValue.Of(true));
    }

    [Fact]
    public void Evaluate_HugeNumbers_SkipInsteadOfThrowing()
    {
        Eval("offered * 79228162514264337593543950335 > 0", Values()).IsSkip.ShouldBeTrue();
    }

    [Fact]
    public void Parse_OperatorsAndPositions_BuildsExpectedTree()
    {
        var expression = Expression.Parse("a + b * c >= 2");

        var root = expression.Root.ShouldBeOfType<BinaryNode>();
        root.Operator.ShouldBe(">=");
        root.Offset.ShouldBe(10);
        var sum = root.Left.ShouldBeOfType<BinaryNode>();
        sum.Operator.ShouldBe("+");
        sum.Right.ShouldBeOfType<BinaryNode>().Operator.ShouldBe("*");
        expression.ReferencedKeys.ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void Parse_GridCellReference_ReferencesGridKey()
    {
        Expression.Parse("by_stage.early + previous(offered) > 0").ReferencedKeys.ShouldBe(["by_stage", "offered"]);
    }

    [Theory]
    [InlineData("", 0, "The expression is empty.")]
    [InlineData("a +", 3, "The expression ends too early")]
    [InlineData("(a + b", 0, "This bracket '(' is never closed")]
    [InlineData("a b", 2, "Expected 'and', 'or' or an operator before 'b'")]
    [InlineData("a = = b", 4, "Expected a number, a question key or '('")]
    [InlineData("1.x > 0", 0, "digits after the decimal point")]
    [InlineData("2abc > 0", 0, "must start with a letter")]
    [InlineData("a. > 0", 0, "is not a valid key")]
    [InlineData("sum(a,) > 0", 6, "Expected a number, a question key or '('")]
    [InlineData("a & b", 2, "'&' cannot be used")]
    public void TryParse_BadSyntax_GivesOffsetAndMessage(string text, int offset, string message)
    {
        Expression.TryParse(text, out var expression, out var error).ShouldBeFalse();

        expression.ShouldBeNull();
        error!.Offset.ShouldBe(offset);
        error.Message.ShouldContain(message);
    }
}
