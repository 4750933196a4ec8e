using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Uploads;
using static FgcReturns.Core.Tests.Uploads.UploadTestSupport;

namespace FgcReturns.Core.Tests.Uploads;

public sealed class ReturnTemplateWriterTests
{
    private static readonly Dictionary<string, string?> Current = new()
    {
        ["service_model"] = "commissioned",
        ["coordinators_fte"] = "2.5",
        ["coordinators_independent"] = "yes",
        ["stages_offered"] = "early_help,child_protection",
        ["referrals_children"] = "1234",
        ["referrals_families"] = null,
        ["referrals_by_stage.early_help"] = "200",
    };

    private static XLWorkbook Open(byte[] bytes) => new(new MemoryStream(bytes));

    private static IXLDataValidation ValidationOf(IXLCell cell) =>
        cell.Worksheet.DataValidations.GetAllInRange(cell.AsRange().RangeAddress).Single();

    [Fact]
    public void Write_RealDefinition_HasInstructionsFirstThenOneSheetPerSectionAndVeryHiddenMeta()
    {
        // Arrange
        var bytes = Template(Current);

        // Act
        using var workbook = Open(bytes);

        // Assert
        var names = workbook.Worksheets.Select(w => w.Name).ToList();
        names[0].ShouldBe("Instructions");
        names.ShouldContain("Your FGC service");
        names.ShouldContain("Referrals");
        names.ShouldContain("Offers and take-up");
        names.ShouldContain("Conferences held");
        names.ShouldContain("Children whose family had an");
        names.ShouldContain("Outcomes for children");
        names.ShouldAllBe(n => n.Length <= 31);
        workbook.Worksheet("_meta").Visibility.ShouldBe(XLWorksheetVisibility.VeryHidden);
        workbook.Worksheet("Referrals").Visibility.ShouldBe(XLWorksheetVisibility.Visible);
    }

    [Fact]
    public void Write_Meta_HoldsVersionSurveyHashLaCollectionAndTime()
    {
        // Arrange
        var bytes = Template();

        // Act
        using var workbook = Open(bytes);

        // Assert
        var meta = workbook.Worksheet("_meta").RowsUsed().ToDictionary(r => r.Cell(1).GetString(), r => r.Cell(2).GetString());
        meta["template_format_version"].ShouldBe("1");
        meta["survey_id"].ShouldBe("fgc-annual");
        meta["definition_version"].ShouldBe("1.0");
        meta["definition_content_hash"].ShouldBe(Definition10.ContentHash);
        meta["la_code"].ShouldBe("887");
        meta["la_name"].ShouldBe("Medway");
        meta["collection_id"].ShouldBe("7");
        meta["generated_at"].ShouldBe("2025-04-14T09:30:00.0000000+01:00");
    }

    [Fact]
    public void Write_Instructions_NameTheLaCollectionDeadlineAndSections()
    {
        // Arrange
        var bytes = Template();

        // Act
        using var workbook = Open(bytes);

        // Assert
        var text = string.Join("\n", workbook.Worksheet("Instructions").Column(1).CellsUsed().Select(c => c.GetString()));
        text.ShouldContain("Family group conferences annual return");
        text.ShouldContain("Medway (887)");
        text.ShouldContain("FGC annual return 2024 to 2025");
        text.ShouldContain("Deadline: 30 May 2025");
        text.ShouldContain("Not recorded");
        text.ShouldContain("column D");
        text.ShouldContain(".xlsx");
        text.ShouldContain("Referrals: Referrals received");
        workbook.Worksheet("Instructions").IsProtected.ShouldBeTrue();
    }

    [Fact]
    public void Write_SectionSheet_HasFrozenBoldHeaderLockedKeysAndUnlockedAnswers()
    {
        // Arrange
        var bytes = Template();

        // Act
        using var workbook = Open(bytes);

        // Assert
        var sheet = workbook.Worksheet("Referrals");
        sheet.IsProtected.ShouldBeTrue();
        sheet.SheetView.SplitRow.ShouldBe(1);
        sheet.Cell("A1").GetString().ShouldBe(TemplateFormat.KeyHeader);
        sheet.Cell("D1").GetString().ShouldBe("Your answer");
        sheet.Cell("A1").Style.Font.Bold.ShouldBeTrue();
        sheet.Cell("A2").GetString().ShouldBe("referrals_children");
        sheet.Cell("A2").Style.Protection.Locked.ShouldBeTrue();
        sheet.Cell("B2").Style.Protection.Locked.ShouldBeTrue();
        sheet.Cell("D2").Style.Protection.Locked.ShouldBeFalse();
        sheet.Cell("D2").Style.Fill.BackgroundColor.ShouldBe(XLColor.FromHtml("#FFF7BF"));
        sheet.Cell("A2").Style.Font.FontName.ShouldBe("Arial");
        sheet.Column(2).Width.ShouldBe(60);
        sheet.Column(4).Width.ShouldBeGreaterThan(10);
        sheet.PageSetup.PageOrientation.ShouldBe(XLPageOrientation.Landscape);
        sheet.PageSetup.PagesWide.ShouldBe(1);
    }

    [Fact]
    public void Write_Grid_OneRowPerCellThenTotalFormulaAndExpectedTotal()
    {
        // Arrange
        var bytes = Template();

        // Act
        using var workbook = Open(bytes);

        // Assert
        var sheet = workbook.Worksheet("Referrals");
        sheet.Cell("A4").GetString().ShouldBe("referrals_by_stage.early_help");
        sheet.Cell("B4").GetString().ShouldBe("Children referred, by stage at referral – Early help");
        sheet.Cell("A10").GetString().ShouldBe("referrals_by_stage.other_or_not_known");
        sheet.Cell("A11").GetString().ShouldBeEmpty();
        sheet.Cell("D11").FormulaA1.ShouldBe("SUM(D4:D10)");
        sheet.Cell("D11").Style.Protection.Locked.ShouldBeTrue();
        sheet.Cell("D12").FormulaA1.ShouldBe("IF(D2=\"\",\"\",D2)");
        sheet.Cell("B12").GetString().ShouldContain("Children referred to the FGC service during the year");

        var characteristics = workbook.Worksheet("Children whose family had an");
        characteristics.Cells().Where(c => c.HasFormula).Select(c => c.FormulaA1)
            .ShouldContain("IF('Conferences held'!D3=\"\",\"\",'Conferences held'!D3)");
    }

    [Fact]
    public void Write_CurrentValues_NumbersAsNumbersNotRecordedAsTextChoicesAsLabels()
    {
        // Arrange
        var bytes = Template(Current);

        // Act
        using var workbook = Open(bytes);
        var editor = new TemplateEditor(workbook);

        // Assert
        editor.Answer("referrals_children").DataType.ShouldBe(XLDataType.Number);
        editor.Answer("referrals_children").GetDouble().ShouldBe(1234);
        editor.Answer("coordinators_fte").GetDouble().ShouldBe(2.5);
        editor.Answer("referrals_families").GetString().ShouldBe("Not recorded");
        editor.Answer("service_model").GetString().ShouldBe("Commissioned from an external provider");
        editor.Answer("coordinators_independent").GetString().ShouldBe("Yes");
        editor.Answer("stages_offered").GetString().ShouldBe("Early help; Child protection");
        editor.Answer("referrals_by_stage.early_help").GetDouble().ShouldBe(200);
        editor.Answer("fgcs_held").IsEmpty().ShouldBeTrue();
    }

    [Fact]
    public void Write_AnswerCells_HaveTheRightDataValidation()
    {
        // Arrange
        var bytes = Template();

        // Act
        using var workbook = Open(bytes);
        var editor = new TemplateEditor(workbook);

        // Assert
        var count = ValidationOf(editor.Answer("referrals_children"));
        count.AllowedValues.ShouldBe(XLAllowedValues.WholeNumber);
        count.MinValue.ShouldBe("0");
        count.MaxValue.ShouldBe("100000");
        count.ShowErrorMessage.ShouldBeTrue();
        count.ErrorMessage.ShouldNotBeNullOrWhiteSpace();
        count.InputMessage.ShouldNotBeNullOrWhiteSpace();

        var notRecordedAllowed = ValidationOf(editor.Answer("referrals_families"));
        notRecordedAllowed.AllowedValues.ShouldBe(XLAllowedValues.Custom);
        notRecordedAllowed.Value.ShouldBe("OR(AND(ISNUMBER(D3),D3=INT(D3),D3>=0,D3<=100000),D3=\"Not recorded\",D3=\"NR\")");

        var decimalCell = ValidationOf(editor.Answer("coordinators_fte"));
        decimalCell.AllowedValues.ShouldBe(XLAllowedValues.Decimal);

        var choice = ValidationOf(editor.Answer("service_model"));
        choice.AllowedValues.ShouldBe(XLAllowedValues.List);
        choice.Value.ShouldBe("\"In-house,Commissioned from an external provider,Mixed,No FGC service\"");
        choice.InCellDropdown.ShouldBeTrue();

        var yesNo = ValidationOf(editor.Answer("advocacy_offered"));
        yesNo.Value.ShouldBe("\"Yes,No\"");

        var multiple = ValidationOf(editor.Answer("stages_offered"));
        multiple.InputMessage.ShouldContain("semicolon");
    }

    [Fact]
    public void SheetName_LongTitleWithForbiddenCharacters_IsLegalAndCutAtAWord()
    {
        // Arrange
        const string title = "Children: who/what [and] where? A very long section title";

        // Act
        var name = TemplateFormat.SheetName(title);

        // Assert
        name.Length.ShouldBeLessThanOrEqualTo(31);
        name.IndexOfAny(['[', ']', ':', '*', '?', '/', '\\']).ShouldBe(-1);
        name.ShouldBe("Children who what and where A");
    }

    [Fact]
    public void SectionSheetNames_SameTitleTwiceOrReservedName_AreMadeUnique()
    {
        // Arrange
        Section Section(string key, string title) => new()
        {
            Key = key,
            Title = title,
            Questions = [new Question { Key = key + "_q", Label = "Q", Type = QuestionType.Count }],
        };
        var definition = new SurveyDefinition(
            "s", "1.0", DefinitionStatus.Draft, "T", "financial_year", "", [Section("a", "Referrals"), Section("b", "referrals"), Section("c", "Instructions")], [], [], "hash", "path");

        // Act
        var names = TemplateFormat.SectionSheetNames(definition);

        // Assert
        names.ShouldBe(["Referrals", "referrals (2)", "Instructions (2)"]);
    }
}
