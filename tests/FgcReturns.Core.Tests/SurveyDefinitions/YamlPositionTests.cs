using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

/// <summary>
/// Where a problem inside an expression is reported, for the scalar styles the loader's other tests do not cover
/// (YamlPositions.cs): a literal block and a single-quoted string with escaped quotes.
/// </summary>
public class YamlPositionTests
{
    private const string Assert = "    assert: accepted <= offered";

    private static (string Text, string[] Lines) WithAssert(string replacement)
    {
        TestDefinitions.Small.ShouldContain(Assert);
        var text = TestDefinitions.Small.Replace(Assert, replacement, StringComparison.Ordinal);
        return (text, text.Split('\n'));
    }

    [Fact]
    public void LoadText_ErrorsOnBothLinesOfLiteralBlock_ReportEachAtItsWord()
    {
        var (text, lines) = WithAssert("    assert: |\n      acepted <= offered\n      and offered <= ofered");

        var problems = SurveyDefinitionLoader.LoadText(TestDefinitions.SmallPath, text).Problems;

        problems.Select(p => p.Message).ShouldBe([
            "Rule E01 refers to 'acepted', which is not a question in this survey.",
            "Rule E01 refers to 'ofered', which is not a question in this survey.",
        ]);
        problems.Select(p => lines[p.Line - 1][(p.Column - 1)..]).ShouldBe(["acepted <= offered", "ofered"]);
    }

    [Fact]
    public void LoadText_SingleQuotedExpressionWithEscapedQuotes_CountsEachEscapeAsTwoCharacters()
    {
        var (text, lines) = WithAssert("    assert: 'model = ''in_house'' or accepted <= ofered'");

        var problem = SurveyDefinitionLoader.LoadText(TestDefinitions.SmallPath, text).Problems.ShouldHaveSingleItem();

        problem.Message.ShouldBe("Rule E01 refers to 'ofered', which is not a question in this survey.");
        lines[problem.Line - 1][(problem.Column - 1)..].ShouldBe("ofered'");
    }
}
