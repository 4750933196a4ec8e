using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Uploads;
using static FgcReturns.Core.Tests.Uploads.UploadTestSupport;

namespace FgcReturns.Core.Tests.Uploads;

public sealed class ReturnUploadReaderTests
{
    private static readonly Dictionary<string, string?> Current = new()
    {
        ["service_model"] = "in_house",
        ["referrals_children"] = "90",
        ["fgcs_held"] = "40",
    };

    [Fact]
    public void Read_FilledTemplate_ReturnsExactCanonicalValues()
    {
        // Arrange
        var filled = Fill(Template(Current), t =>
        {
            t.Type("referrals_children", 125);
            t.TypeText("referrals_families", "NR");
            t.TypeText("service_model", "Commissioned from an external provider");
            t.TypeText("coordinators_fte", " 2.5 ");
            t.TypeText("coordinators_independent", "Y");
            t.TypeText("advocacy_offered", "no");
            t.TypeText("frg_accredited", "working towards accreditation");
            t.TypeText("stages_offered", "child protection; Early help");
            t.TypeText("recording_systems", "spreadsheet,Other");
            t.TypeText("families_offered", "1,234");
            t.TypeText("families_declined", "not recorded");
            t.TypeText("offered_pre_proceedings", "Not Recorded");
            t.Type("referrals_by_stage.early_help", 20);
            t.Type("referrals_by_stage.child_in_need", 30);
            t.Type("referrals_by_stage.child_protection", 0);
            t.TypeText("referrals_by_stage.pre_proceedings", "15");
            t.Type("referrals_by_stage.care_proceedings", 10);
            t.Type("referrals_by_stage.looked_after", 40);
            t.TypeText("referrals_by_stage.other_or_not_known", "Not recorded");
            t.Answer("fgcs_held").Clear(XLClearOptions.Contents);
        });

        // Act
        var result = ReadXlsx(filled);

        // Assert
        result.Problems.ShouldBeEmpty();
        result.IsRejected.ShouldBeFalse();
        var v = result.Values;
        v["referrals_children"].ShouldBe("125");
        v["referrals_families"].ShouldBeNull();
        v["service_model"].ShouldBe("commissioned");
        v["coordinators_fte"].ShouldBe("2.5");
        v["coordinators_independent"].ShouldBe("yes");
        v["advocacy_offered"].ShouldBe("no");
        v["frg_accredited"].ShouldBe("working_towards");
        v["stages_offered"].ShouldBe("early_help,child_protection");
        v["recording_systems"].ShouldBe("spreadsheet,other");
        v["families_offered"].ShouldBe("1234");
        v["families_declined"].ShouldBeNull();
        v["offered_pre_proceedings"].ShouldBeNull();
        v["referrals_by_stage.early_help"].ShouldBe("20");
        v["referrals_by_stage.child_in_need"].ShouldBe("30");
        v["referrals_by_stage.child_protection"].ShouldBe("0");
        v["referrals_by_stage.pre_proceedings"].ShouldBe("15");
        v["referrals_by_stage.care_proceedings"].ShouldBe("10");
        v["referrals_by_stage.looked_after"].ShouldBe("40");
        v["referrals_by_stage.other_or_not_known"].ShouldBeNull();
        v["fgcs_held"].ShouldBe("", "a cleared cell clears the saved answer");
        v["children_in_fgcs"].ShouldBe("", "a blank cell is in the file with no answer");
        v.Count.ShouldBe(Definition10.Questions.SelectMany(q => q.ValueKeys).Count());
    }

    [Fact]
    public void Read_UntouchedTemplate_ReturnsTheCurrentValues()
    {
        // Arrange
        var current = new Dictionary<string, string?>
        {
            ["service_model"] = "mixed",
            ["coordinators_fte"] = "3.25",
            ["stages_offered"] = "early_help,leaving_care",
            ["referrals_families"] = null,
            ["children_by_sex.female"] = "17",
        };

        // Act
        var result = ReadXlsx(Template(current));

        // Assert
        result.Problems.ShouldBeEmpty();
        foreach (var (key, value) in current)
        {
            result.Values[key].ShouldBe(value, key);
        }

        result.Values.Where(kv => !current.ContainsKey(kv.Key)).ShouldAllBe(kv => kv.Value == "");
    }

    [Fact]
    public void Read_TemplateOfEveryDefinitionInTheRepo_ReadsBackWithoutProblems()
    {
        // Arrange
        var loaded = SurveyDefinitionLoader.LoadFolder(Path.Combine(RepoRoot(), "survey-definitions"));
        loaded.Problems.ShouldBeEmpty();

        foreach (var definition in loaded.Definitions)
        {
            using var stream = new MemoryStream();
            new ReturnTemplateWriter().Write(stream, definition, Medway, new Dictionary<string, string?>());

            // Act
            var result = new ReturnUploadReader().Read(
                new MemoryStream(stream.ToArray()), "t.xlsx", stream.Length, definition, MedwayExpectation with { DefinitionVersion = definition.Version });

            // Assert
            result.Problems.ShouldBeEmpty(definition.ToString());
            result.Values.Count.ShouldBe(definition.Questions.SelectMany(q => q.ValueKeys).Count(), definition.ToString());
        }
    }

    [Fact]
    public void Read_TemplateAfterSavingAgain_KeepsSheetProtection()
    {
        // Arrange
        var filled = Fill(Template(), t => t.Type("fgcs_held", 3));

        // Act
        using var workbook = new XLWorkbook(new MemoryStream(filled));

        // Assert
        workbook.Worksheets.Where(w => w.Name != "_meta").ShouldAllBe(w => w.IsProtected);
        ReadXlsx(filled).Values["fgcs_held"].ShouldBe("3");
    }

    [Fact]
    public void Read_CellsAsExcelStoresThem_FormulasBooleansAndDatesAreReadAsShown()
    {
        // Arrange
        var filled = Fill(Template(), t =>
        {
            t.Answer("referrals_children").FormulaA1 = "SUM(10,5)";
            t.Answer("advocacy_offered").Style.NumberFormat.Format = "General";
            t.Answer("advocacy_offered").SetValue(true);

            // Excel changes the number format when a date is typed into a number cell.
            t.Answer("fgcs_held").Style.NumberFormat.Format = "d mmmm yyyy";
            t.Answer("fgcs_held").SetValue(new DateTime(2025, 3, 31, 0, 0, 0, DateTimeKind.Unspecified));
            t.Answer("families_offered").FormulaA1 = "NOSUCHFUNCTION(1)";
        });

        // Act
        var result = ReadXlsx(filled);

        // Assert
        result.Values["referrals_children"].ShouldBe("15");
        result.Values["advocacy_offered"].ShouldBe("yes");
        result.Problems.Select(p => p.ItemKey).ShouldBe(["families_offered", "fgcs_held"], ignoreOrder: true);
        result.Problems.Single(p => p.ItemKey == "fgcs_held").Message.ShouldBe("'31 March 2025' is not a whole number. Type a number such as 12");
        result.Problems.Single(p => p.ItemKey == "families_offered").Message.ShouldBe("The formula in this cell could not be worked out. Type the answer instead.");
    }

    [Fact]
    public void Read_AnswerInRowWithoutKey_IsReported()
    {
        // Arrange
        var filled = Fill(Template(), t => t.Workbook.Worksheet("Referrals").Cell("D40").SetValue(12));

        // Act
        var problem = ReadXlsx(filled).Problems.ShouldHaveSingleItem();

        // Assert
        problem.Location.ShouldBe("Sheet 'Referrals', cell D40");
        problem.Message.ShouldStartWith("There is an answer here but no item key in column A");
    }

    [Fact]
    public void Read_StreamThatFails_ReturnsAProblemInsteadOfThrowing()
    {
        // Arrange
        var stream = new MemoryStream([1, 2, 3]);
        stream.Dispose();

        // Act
        var result = new ReturnUploadReader().Read(stream, "return.xlsx", 3, Definition10, MedwayExpectation);

        // Assert
        result.IsRejected.ShouldBeTrue();
        result.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("The file could not be read.");
    }

    public static TheoryData<string, object, string> BadCells => new()
    {
        { "referrals_children", "twelve", "'twelve' is not a whole number. Type a number such as 12" },
        { "referrals_children", -3, "-3 must be 0 or more" },
        { "referrals_children", 100001, "100,001 must be 100,000 or fewer" },
        { "referrals_children", 12.5, "'12.5' is not a whole number: counts cannot have decimal places" },
        { "referrals_children", "12.5", "'12.5' is not a whole number: counts cannot have decimal places" },
        { "referrals_children", "NR", "'Not recorded' is not allowed for this question: enter an answer" },
        { "referrals_by_stage.early_help", "lots", "'lots' is not a whole number. Type a number such as 12, or Not recorded" },
        { "coordinators_fte", "two", "'two' is not a number. Type a number such as 2.5" },
        { "coordinators_fte", 1000.5, "1,000.5 must be 1,000 or less" },
        { "service_model", "Maybe", "'Maybe' is not one of the choices (In-house; Commissioned from an external provider; Mixed; No FGC service)" },
        { "service_model", "Not recorded", "'Not recorded' is not allowed for this question: enter an answer" },
        { "advocacy_offered", "Maybe", "'Maybe' is not Yes or No" },
        { "stages_offered", "Early help; Nursery", "'Nursery' is not one of the choices (Early help; Child in need; Child protection; Pre-proceedings (Public Law Outline); During care proceedings; Looked after children; Leaving care)" },
    };

    [Theory]
    [MemberData(nameof(BadCells))]
    public void Read_BadAnswer_ReportsItsCellAndWhatIsWrong(string key, object typed, string message)
    {
        // Arrange
        string location = "";
        var filled = Fill(Template(), t =>
        {
            if (typed is string text)
            {
                t.TypeText(key, text);
            }
            else
            {
                t.Type(key, typed);
            }

            t.Type("fgcs_held", 7);
            location = t.AnswerLocation(key);
        });

        // Act
        var result = ReadXlsx(filled);

        // Assert
        result.IsRejected.ShouldBeFalse();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe(location);
        problem.Message.ShouldBe(message);
        problem.ItemKey.ShouldBe(key);
        result.Values.ContainsKey(key).ShouldBeFalse();
        result.Values["fgcs_held"].ShouldBe("7");
    }

    [Fact]
    public void Read_BadAnswerOnReferralsSheet_LocationNamesSheetAndCell()
    {
        // Arrange
        var filled = Fill(Template(), t => t.TypeText("referrals_by_stage.looked_after", "twelve"));

        // Act
        var problem = ReadXlsx(filled).Problems.ShouldHaveSingleItem();

        // Assert
        problem.Location.ShouldBe("Sheet 'Referrals', cell D9");
        problem.ToString().ShouldStartWith("Sheet 'Referrals', cell D9: 'twelve' is not a whole number");
    }

    [Fact]
    public void Read_UnknownKeyInColumnA_IsReportedAtTheKeyCell()
    {
        // Arrange
        var filled = Fill(Template(), t => t.Row("referrals_families").Cell(1).SetValue("foo"));

        // Act
        var result = ReadXlsx(filled);

        // Assert
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe("Sheet 'Referrals', cell A3");
        problem.Message.ShouldBe("'foo' is not a question in this survey. Do not change column A.");
    }

    [Fact]
    public void Read_DuplicateKey_IsReportedWithTheFirstPlace()
    {
        // Arrange
        var filled = Fill(Template(), t => t.Row("referrals_families").Cell(1).SetValue("referrals_children"));

        // Act
        var problem = ReadXlsx(filled).Problems.ShouldHaveSingleItem();

        // Assert
        problem.Location.ShouldBe("Sheet 'Referrals', cell A3");
        problem.Message.ShouldBe("'referrals_children' appears more than once (first at Sheet 'Referrals', cell A2). Delete the extra row.");
    }

    [Fact]
    public void Read_SheetTheUserAdded_IsIgnored()
    {
        // Arrange
        var filled = Fill(Template(), t =>
        {
            var working = t.Workbook.Worksheets.Add("My working");
            working.Cell("A1").SetValue("Total referrals");
            working.Cell("A2").SetValue("foo");
            working.Cell("D2").SetValue(3);
        });

        // Act
        var result = ReadXlsx(filled);

        // Assert
        result.Problems.ShouldBeEmpty();
    }

    public static TheoryData<string, string> WrongTemplates => new()
    {
        { "another LA", "This template is for Leicester (856), not Medway (887). Download the template for Medway (887) from the portal and upload that." },
        { "another collection", "This template is for the collection 'FGC annual return 2023 to 2024', not 'FGC annual return 2024 to 2025'. Download the template for this collection from the portal and upload that." },
        { "another version", "This template is for version 0.9 of the return, but this collection uses version 1.0. Download a new template from the portal, copy your answers into it and upload that." },
        { "another hash", "This template was made from an earlier draft of the return's questions. Download a new template from the portal, copy your answers into it and upload that." },
        { "no meta", ReturnUploadReader.NotTemplateMessage },
        { "another format", "This template is not the current FGC Returns template for this return. Download a new template from the portal, copy your answers into it and upload that." },
    };

    [Theory]
    [MemberData(nameof(WrongTemplates))]
    public void Read_TemplateForSomethingElse_IsRejectedWithSpecificMessage(string scenario, string message)
    {
        // Arrange
        var template = scenario switch
        {
            "another LA" => Template(context: Medway with { LaCode = "856", LaName = "Leicester" }),
            "another collection" => Template(context: Medway with { CollectionId = 3, CollectionTitle = "FGC annual return 2023 to 2024" }),
            "another version" => Fill(Template(), t => SetMeta(t, "definition_version", "0.9")),
            "another hash" => Fill(Template(), t => SetMeta(t, "definition_content_hash", "abc")),
            "no meta" => Fill(Template(), t => t.Workbook.Worksheet("_meta").Delete()),
            "another format" => Fill(Template(), t => SetMeta(t, "template_format_version", "0")),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        // Act
        var result = ReadXlsx(template);

        // Assert
        result.IsRejected.ShouldBeTrue();
        result.Values.ShouldBeEmpty();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Location.ShouldBe("File");
        problem.Message.ShouldBe(message);
    }

    [Fact]
    public void Read_AnotherLaWithoutExpectedName_UsesTheCode()
    {
        // Arrange
        var template = Template(context: Medway with { LaCode = "856", LaName = "Leicester" });

        // Act
        var result = ReadXlsx(template, new UploadExpectation("887", 7, "1.0"));

        // Assert
        result.Problems.Single().Message.ShouldStartWith("This template is for Leicester (856), not 887.");
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "png", "'chart.png' is not an Excel workbook (.xlsx) or a CSV file (.csv). Upload the template you downloaded, saved as .xlsx, or a CSV file." },
        { "txt", "'notes.txt' is not an Excel workbook (.xlsx) or a CSV file (.csv). Upload the template you downloaded, saved as .xlsx, or a CSV file." },
        { "png named xlsx", ReturnUploadReader.DamagedMessage },
        { "xls", "'return.xls' is an old Excel 97-2003 file: save it as .xlsx (Excel Workbook) and upload it again." },
        { "xls named xlsx", "'return.xlsx' is an old Excel 97-2003 file: save it as .xlsx (Excel Workbook) and upload it again." },
        { "encrypted", ReturnUploadReader.PasswordMessage },
        { "corrupt zip", ReturnUploadReader.DamagedMessage },
        { "zip not a workbook", ReturnUploadReader.DamagedMessage },
        { "over 5 MB", ReturnUploadReader.TooLargeMessage },
        { "over 5 MB with wrong length", ReturnUploadReader.TooLargeMessage },
        { "empty", ReturnUploadReader.EmptyMessage },
        { "workbook named csv", "'return.csv' is called .csv but it is an Excel workbook. Upload it with its .xlsx name, or save it as CSV (comma delimited) and upload that." },
        { "binary named csv", "'return.csv' is not a CSV text file. Save it as CSV (comma delimited) and upload it again." },
        { "workbook not a template", ReturnUploadReader.NotTemplateMessage },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_IsRejectedWithSpecificMessage(string scenario, string message)
    {
        // Arrange
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
        var (bytes, name, length) = scenario switch
        {
            "png" => (png, "chart.png", png.Length),
            "txt" => (Encoding.UTF8.GetBytes("referrals_children,12"), "notes.txt", 21L),
            "png named xlsx" => (png, "return.xlsx", png.Length),
            "xls" => (OleFile(encrypted: false), "return.xls", 1024L),
            "xls named xlsx" => (OleFile(encrypted: false), "return.xlsx", 1024L),
            "encrypted" => (OleFile(encrypted: true), "return.xlsx", 1024L),
            "corrupt zip" => (Template()[..2000], "return.xlsx", 2000L),
            "zip not a workbook" => (ZipWith("hello.txt"), "return.xlsx", 100L),
            "over 5 MB" => (new byte[10], "return.xlsx", ReturnUploadReader.MaxBytes + 1),
            "over 5 MB with wrong length" => (new byte[ReturnUploadReader.MaxBytes + 1], "return.xlsx", 100L),
            "empty" => (Array.Empty<byte>(), "return.xlsx", 0L),
            "workbook named csv" => (Template(), "return.csv", 100L),
            "binary named csv" => (png, "return.csv", png.Length),
            "workbook not a template" => (PlainWorkbook(), "return.xlsx", 100L),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        // Act
        var result = new ReturnUploadReader().Read(new MemoryStream(bytes), name, length, Definition10, MedwayExpectation);

        // Assert
        result.IsRejected.ShouldBeTrue();
        result.Values.ShouldBeEmpty();
        result.Problems.ShouldHaveSingleItem().Message.ShouldBe(message);
    }

    private static void SetMeta(TemplateEditor t, string key, string value)
    {
        var meta = t.Workbook.Worksheet("_meta");
        var row = meta.RowsUsed().Single(r => r.Cell(1).GetString() == key);
        row.Cell(2).SetValue(value);
        row.Cell(2).SetDataType(XLDataType.Text);
    }

    /// <summary>An OLE compound file header, with the "EncryptionInfo" stream name (UTF-16) that an encrypted .xlsx has.</summary>
    internal static byte[] OleFile(bool encrypted)
    {
        var bytes = new byte[1024];
        byte[] header = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        header.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes(encrypted ? "EncryptionInfo" : "Workbook").CopyTo(bytes, 512);
        return bytes;
    }

    private static byte[] ZipWith(string entryName)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entryName).Open());
            writer.Write("hello");
        }

        return stream.ToArray();
    }

    private static byte[] PlainWorkbook()
    {
        using var workbook = new XLWorkbook();
        workbook.Worksheets.Add("Sheet1").Cell("A1").SetValue("referrals_children");
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }
}
