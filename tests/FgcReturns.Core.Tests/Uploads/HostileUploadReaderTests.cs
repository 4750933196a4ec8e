using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Uploads;
using static FgcReturns.Core.Tests.Uploads.UploadTestSupport;

namespace FgcReturns.Core.Tests.Uploads;

/// <summary>The worst files we could make, read directly (the same files go through the web host in the integration tests).</summary>
public sealed class HostileUploadReaderTests
{
    [Fact]
    public void Inspect_FilledInTemplate_IsWithinATenthOfEveryLimit()
    {
        // Arrange: every answer filled in, as large as a real upload gets.
        var template = Template(ReturnValuesBuilder.ValidFgc10().Build());

        // Act
        var refusal = WorkbookInspector.Inspect(template);
        var (parts, bytes, rows, cells) = Measure(template);

        // Assert: the limits are far from anything a real upload needs.
        refusal.ShouldBeNull();
        parts.ShouldBeLessThan(WorkbookInspector.MaxParts / 2);
        bytes.ShouldBeLessThan(WorkbookInspector.MaxTotalBytes / 10);
        rows.ShouldBeLessThan(WorkbookInspector.MaxRows / 10);
        cells.ShouldBeLessThan(WorkbookInspector.MaxCells / 10);
    }

    [Fact]
    public void Read_ZipBomb_RefusedFromItsDeclaredSizesWithoutLoading()
    {
        // Arrange: 400 MB of rows in a file of about 1 MB.
        var bomb = HostileFiles.ZipBomb(Template(), 400L * 1024 * 1024);

        // Act
        var result = ReadXlsx(bomb);

        // Assert
        bomb.Length.ShouldBeLessThan((int)ReturnUploadReader.MaxBytes);
        result.IsRejected.ShouldBeTrue();
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe(WorkbookInspector.ZipBombMessage);
    }

    [Fact]
    public void Read_ZipBombThatLiesAboutItsSize_RefusedAsDamagedWhileUnzipping()
    {
        // Arrange
        var bomb = HostileFiles.LyingZipBomb(Template(), 100L * 1024 * 1024);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = ReadXlsx(bomb);

        // Assert: the zip reader stops where the part says it ends and finds more; a part that lies is damaged.
        result.IsRejected.ShouldBeTrue();
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe(ReturnUploadReader.DamagedMessage);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Read_DeeplyNestedXml_RefusedAsNestedTooDeep()
    {
        // Arrange
        var nested = HostileFiles.DeeplyNested(Template(), 10_000);

        // Act
        var result = ReadXlsx(nested);

        // Assert
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe(WorkbookInspector.DeeplyNestedMessage);
    }

    [Fact]
    public void Read_MillionEmptyRows_RefusedNamingTheSheet()
    {
        // Arrange
        var rows = HostileFiles.EmptyRows(Template(), 1_000_000);

        // Act
        var result = ReadXlsx(rows);

        // Assert
        rows.Length.ShouldBeLessThan((int)ReturnUploadReader.MaxBytes);
        result.IsRejected.ShouldBeTrue();
        result.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("The sheet '");
        result.Problems[0].Message.ShouldContain("has more than 20,000 rows");
    }

    [Fact]
    public void Read_DocumentTypeDeclaration_RefusedBeforeAnyEntityIsExpanded()
    {
        // Arrange: the "billion laughs" entity bomb in the workbook part.
        var laughs = HostileFiles.Rewrite(Template(), "xl/workbook.xml", xml =>
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
            + xml[(xml.IndexOf("?>", StringComparison.Ordinal) + 2)..]);

        // Act
        var result = ReadXlsx(laughs);

        // Assert
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe(WorkbookInspector.DocumentTypeMessage);
    }

    [Fact]
    public void Read_CsvOf200000BadLines_KeepsTheFirst100AndCountsThemAll()
    {
        // Arrange
        var csv = HostileFiles.CsvOfBadLines(200_000);

        // Act
        var result = Read(csv, "medway.csv");

        // Assert
        result.IsRejected.ShouldBeFalse();
        result.TotalProblems.ShouldBe(200_000);
        result.Problems.Count.ShouldBe(UploadProblemList.Shown);
        result.Problems[0].ToString().ShouldBe("Line 2: 'no_such_item_0' is not a question in this survey. Use the item keys from the template.");
        result.Problems[99].Location.ShouldBe("Line 101");
    }

    [Fact]
    public void Read_CsvWithProblemSink_ReportsEveryProblemWithItsLine()
    {
        // Arrange
        var csv = HostileFiles.CsvOfBadLines(5_000);
        var all = new List<UploadProblem>();

        // Act
        new ReturnUploadReader().Read(csv, "medway.csv", Definition10, MedwayExpectation, new UploadProblemList { Sink = all.Add });

        // Assert
        all.Count.ShouldBe(5_000);
        all[^1].Location.ShouldBe("Line 5001");
    }

    [Fact]
    public void Read_FourMegabyteBadValue_QuotesAbout50Characters()
    {
        // Arrange
        var huge = new string('x', 4 * 1024 * 1024);

        // Act
        var result = ReadCsv("item_key,value\nfamilies_offered," + huge + "\n");

        // Assert
        var message = result.Problems.ShouldHaveSingleItem().Message;
        message.ShouldStartWith("'" + new string('x', 47) + "...' (4,194,304 characters) is not a whole number");
        message.Length.ShouldBeLessThan(200);
    }

    private static (int Parts, long Bytes, int Rows, int Cells) Measure(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        long bytes = 0;
        int rows = 0, cells = 0;
        foreach (var entry in zip.Entries)
        {
            bytes += entry.Length;
            if (!entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
            {
                continue;
            }

            using var reader = XmlReader.Create(entry.Open());
            while (reader.Read())
            {
                rows += reader is { NodeType: XmlNodeType.Element, LocalName: "row" } ? 1 : 0;
                cells += reader is { NodeType: XmlNodeType.Element, LocalName: "c" } ? 1 : 0;
            }
        }

        return (zip.Entries.Count, bytes, rows, cells);
    }
}

public sealed class TemplateNeutralisingTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"Click\")")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    public void Template_SavedTextStartingWithAFormulaCharacter_WrittenNeutralisedAndReadBackAsTyped(string typed)
    {
        // Arrange: text saved for a count (the form once stored what did not parse).
        var template = Template(new Dictionary<string, string?> { ["families_offered"] = typed });

        // Act
        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(template));
        var cell = new TemplateEditor(workbook).Answer("families_offered");
        var reread = ReadXlsx(template);

        // Assert
        cell.HasFormula.ShouldBeFalse();
        cell.GetString().ShouldBe("'" + typed);
        reread.Problems.ShouldHaveSingleItem().Message.ShouldStartWith(UploadQuote.Of(typed));
    }
}
