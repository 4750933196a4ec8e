using System.Text;
using FgcReturns.Core.Uploads;
using static FgcReturns.Core.Tests.Uploads.UploadTestSupport;

namespace FgcReturns.Core.Tests.Uploads;

public sealed class CsvUploadTests
{
    [Fact]
    public void Read_CsvWithTolerantValues_ReturnsCanonicalValues()
    {
        // Arrange
        const string csv = "item_key,value\r\n"
            + "referrals_children,\"1,234\"\r\n"
            + "families_offered, 12 \r\n"
            + "referrals_families,NR\r\n"
            + "families_declined,not recorded\r\n"
            + "service_model,mixed\r\n"
            + "frg_accredited,Not accredited\r\n"
            + "coordinators_independent,Y\r\n"
            + "stages_offered,Early help; child protection\r\n"
            + "recording_systems,\"spreadsheet,other\"\r\n"
            + "coordinators_fte,2.5\r\n"
            + "referrals_by_stage.early_help,20\r\n"
            + "fgcs_held,\r\n"
            + "\r\n";

        // Act
        var result = ReadCsv(csv);

        // Assert
        result.Problems.ShouldBeEmpty();
        result.Values.ShouldBe(new Dictionary<string, string?>
        {
            ["referrals_children"] = "1234",
            ["families_offered"] = "12",
            ["referrals_families"] = null,
            ["families_declined"] = null,
            ["service_model"] = "mixed",
            ["frg_accredited"] = "not_accredited",
            ["coordinators_independent"] = "yes",
            ["stages_offered"] = "early_help,child_protection",
            ["recording_systems"] = "spreadsheet,other",
            ["coordinators_fte"] = "2.5",
            ["referrals_by_stage.early_help"] = "20",
            ["fgcs_held"] = "",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Read_CsvWithBomAndCapitalisedHeaderAndTrailingEmptyColumns_IsRead()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Item_Key,Value\nfgcs_held,4,,\n")).ToArray();

        // Act
        var result = Read(bytes, "return.CSV");

        // Assert
        result.Problems.ShouldBeEmpty();
        result.Values["fgcs_held"].ShouldBe("4");
    }

    [Fact]
    public void Read_CsvInWindowsCodePage_IsRead()
    {
        // Arrange: "£" in Latin-1 is not valid UTF-8.
        var bytes = Encoding.Latin1.GetBytes("item_key,value\nfgcs_held,4\nreferrals_children,\u00a312\n");

        // Act
        var result = Read(bytes, "return.csv");

        // Assert
        result.Values["fgcs_held"].ShouldBe("4");
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe("'\u00a312' is not a whole number. Type a number such as 12");
    }

    public static TheoryData<string, string, string> BadLines => new()
    {
        { "item_key,value\nfgcs_held,4\nfoo,12\n", "Line 3", "'foo' is not a question in this survey. Use the item keys from the template." },
        { "item_key,value\nfgcs_held,4\nfgcs_held,5\n", "Line 3", "'fgcs_held' is already on line 2. Give each item once." },
        { "item_key,value\nfgcs_held,4\n\nreferrals_children,twelve\n", "Line 4", "'twelve' is not a whole number. Type a number such as 12" },
        { "item_key,value\nreferrals_children,-3\n", "Line 2", "-3 must be 0 or more" },
        { "item_key,value\nreferrals_children,1,234\n", "Line 2", "This line has 3 columns, but each line needs 2: item_key and value. If a value contains a comma, like 1,234, put it in double quotes." },
        { "item_key,value\nreferrals_children\n", "Line 2", "There is no value for 'referrals_children'. Write the item key, a comma, then the value." },
        { "item_key,value\nreferrals_by_stage,12\n", "Line 2", "'referrals_by_stage' is a table: give each of its cells on its own line, like referrals_by_stage.early_help." },
        { "item_key,value\nservice_model,\"Maybe\"\n", "Line 2", "'Maybe' is not one of the choices (In-house; Commissioned from an external provider; Mixed; No FGC service)" },
        { "item_key,value\nreferrals_children,NR\n", "Line 2", "'Not recorded' is not allowed for this question: enter an answer" },
        { "item_key,value\nreferrals_children,12.5\n", "Line 2", "'12.5' is not a whole number: counts cannot have decimal places" },
        { "item_key,value\nfgcs_held,\"4\nreferrals_children,5\n", "Line 2", "This line could not be read: check its quotes. Put a value in double quotes only when it contains a comma, like \"1,234\"." },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Read_CsvWithBadLine_ReportsTheLine(string csv, string location, string message)
    {
        // Act
        var result = ReadCsv(csv);

        // Assert
        result.IsRejected.ShouldBeFalse();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe(location);
        problem.Message.ShouldBe(message);
    }

    [Fact]
    public void Read_CsvWithBadLine_KeepsTheGoodLines()
    {
        // Act
        var result = ReadCsv("item_key,value\nfgcs_held,4\nfoo,12\nreferrals_children,8\n");

        // Assert
        result.Values.ShouldBe(new Dictionary<string, string?> { ["fgcs_held"] = "4", ["referrals_children"] = "8" }, ignoreOrder: true);
    }

    [Fact]
    public void Read_CsvQuotedValueOverTwoLines_ReportsTheLineItStartsOn()
    {
        // Act
        var result = ReadCsv("item_key,value\nfgcs_held,4\nreferrals_children,\"12\n3\"\nchildren_in_fgcs,x\n");

        // Assert
        result.Problems.Select(p => p.Location).ShouldBe(["Line 3", "Line 5"]);
    }

    public static TheoryData<string, string> BadHeaders => new()
    {
        { "fgcs_held,4\nreferrals_children,5\n", "The header line is missing. The first line must be item_key,value, then one item a line." },
        { "key,answer\nfgcs_held,4\n", "The first line must be the header item_key,value, not 'key,answer'." },
        { "item_key,value,comment\nfgcs_held,4\n", "The first line must be the header item_key,value, not 'item_key,value,comment'." },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Read_CsvWithBadHeader_IsRejectedAtLineOne(string csv, string message)
    {
        // Act
        var result = ReadCsv(csv);

        // Assert
        result.IsRejected.ShouldBeTrue();
        result.Values.ShouldBeEmpty();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe("Line 1");
        problem.Message.ShouldBe(message);
    }

    [Theory]
    [InlineData("item_key,value\n")]
    [InlineData("\n\n")]
    public void Read_CsvWithNoAnswers_IsRejected(string csv)
    {
        // Act
        var result = ReadCsv(csv);

        // Assert
        result.IsRejected.ShouldBeTrue();
        result.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("The file has no answers in it.");
    }
}
