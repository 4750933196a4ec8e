using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Tests.SurveyDefinitions;
using FgcReturns.Core.Tracker;

namespace FgcReturns.Core.Tests.Tracker;

/// <summary>Derivations of the 1.1 definition on hand-made trackers with answers worked out by hand. Period 2025-26.</summary>
public sealed class TrackerDerivationTests
{
    private static readonly DateOnly Start = new(2025, 4, 1);
    private static readonly DateOnly End = new(2026, 3, 31);

    private static SurveyDefinition Fgc11 => TestDefinitions.Fgc11;

    private static TrackerComputation Compute(TrackerBuilder tracker)
    {
        var bytes = tracker.Build(Fgc11);
        return TrackerComputation.Compute(new MemoryStream(bytes), "tracker.xlsx", bytes.Length, Fgc11, Start, End);
    }

    [Fact]
    public void Compute_PeriodBoundaries_CountOnlyReferralsFromFirstAprilToThirtyFirstMarch()
    {
        var result = Compute(TrackerBuilder.Empty()
            .Referral("R1", "2025-03-31", children: 2)
            .Referral("R2", "2025-04-01", children: 3)
            .Referral("R3", "2026-03-31", children: 1)
            .Referral("R4", "2026-04-01", children: 5));

        result.Problems.ShouldBeEmpty();
        result.RowCount.ShouldBe(4);
        result.Values["referrals_families"].ShouldBe("2");
        result.Values["referrals_children"].ShouldBe("4");
        result.Values["referrals_by_stage.early_help"].ShouldBe("4");
        result.Values["referrals_by_stage.child_protection"].ShouldBe("0");
    }

    [Fact]
    public void Compute_DeclinedThenReReferredAndAccepted_CountsTheFamilyOnceAsAccepted()
    {
        var result = Compute(TrackerBuilder.Empty()
            .Referral("FAM-1", "2025-05-01", children: 2, stage: "Child protection", offered: "2025-05-06", response: "Declined")
            .Referral("FAM-1", "2025-09-01", children: 3, stage: "Pre-proceedings (Public Law Outline)", offered: "2025-09-03", response: "Accepted",
                initialFgc: "2025-09-24", planAgreed: "2025-09-24", outcome: "With parents")
            .Referral("FAM-2", "2025-06-01", children: 1, offered: "2025-06-02", response: "Declined"));

        result.Problems.ShouldBeEmpty();
        result.Values["referrals_families"].ShouldBe("2");
        result.Values["referrals_children"].ShouldBe("4"); // FAM-1 from its latest referral (3) + FAM-2 (1)
        result.Values["referrals_by_stage.pre_proceedings"].ShouldBe("3");
        result.Values["referrals_by_stage.child_protection"].ShouldBe("0");
        result.Values["referrals_by_stage.early_help"].ShouldBe("1");
        result.Values["families_offered"].ShouldBe("2");
        result.Values["families_accepted"].ShouldBe("1");
        result.Values["families_declined"].ShouldBe("1"); // FAM-2 only: FAM-1 accepted in the end
        result.Values["offered_pre_proceedings"].ShouldBe("1");
        result.Values["accepted_pre_proceedings"].ShouldBe("1");
        result.Values["initial_fgcs_held"].ShouldBe("1");
        result.Values["children_in_fgcs"].ShouldBe("3");
        result.Values["fgcs_held_pre_proceedings"].ShouldBe("1");
        result.Values["plans_agreed"].ShouldBe("1");
        result.Values["outcome_with_parents"].ShouldBe("3");
        result.Values["outcome_looked_after"].ShouldBe("0");
    }

    [Fact]
    public void Compute_MedianWorkingDays_LeavesOutWeekendsAndBankHolidaysAndMissingConferences()
    {
        // Mon 14 Apr 2025 -> Tue 22 Apr 2025: 15, 16, 17 Apr, (18 Good Friday, 21 Easter Monday), 22 = 4 working days.
        // Mon 2 Jun 2025 -> Mon 9 Jun 2025: 5 working days. Mon 7 Jul -> Mon 21 Jul: 10. No conference: left out.
        var result = Compute(TrackerBuilder.Empty()
            .Referral("A1", "2025-04-14", offered: "2025-04-14", response: "Accepted", initialFgc: "2025-04-22")
            .Referral("A2", "2025-06-02", offered: "2025-06-02", response: "Accepted", initialFgc: "2025-06-09")
            .Referral("A3", "2025-07-07", offered: "2025-07-07", response: "Accepted", initialFgc: "2025-07-21")
            .Referral("A4", "2025-08-01", offered: "2025-08-01", response: "Accepted", reason: "Family withdrew"));

        result.Problems.ShouldBeEmpty();
        result.Values["median_days_referral_to_fgc"].ShouldBe("5");
        result.Values["initial_fgcs_held"].ShouldBe("3");
        result.Values["not_proceeded_by_reason.family_withdrew"].ShouldBe("1");
        result.Values["not_proceeded_by_reason.other"].ShouldBe("0");
    }

    [Fact]
    public void Compute_EvenNumberOfConferencesAndSeveralChildren_AveragesTheMiddleTwoAndSumsChildren()
    {
        var result = Compute(TrackerBuilder.Empty()
            .Referral("B1", "2025-06-02", children: 4, offered: "2025-06-02", response: "Accepted", initialFgc: "2025-06-09", outcome: "Looked after")
            .Referral("B2", "2025-06-02", children: 2, offered: "2025-06-02", response: "Accepted", initialFgc: "2025-06-10", outcome: "With family or friends"));

        result.Values["median_days_referral_to_fgc"].ShouldBe("5.5");
        result.Values["children_in_fgcs"].ShouldBe("6");
        result.Values["outcome_looked_after"].ShouldBe("4");
        result.Values["outcome_with_family_network"].ShouldBe("2");
    }

    [Fact]
    public void Compute_NoConferencesInThePeriod_GivesMedianNotRecordedAndCountsZero()
    {
        var result = Compute(TrackerBuilder.Empty().Referral("C1", "2025-06-02", viable: "No"));

        result.Values["median_days_referral_to_fgc"].ShouldBeNull();
        result.Values["initial_fgcs_held"].ShouldBe("0");
        result.Values["referrals_not_viable"].ShouldBe("1");
        result.Values.Keys.ShouldNotContain("service_model");
        result.Values.Keys.ShouldNotContain("children_by_age.under_1");
    }

    public static TheoryData<string, object, string> BadReferences() => new()
    {
        { "name", "Jayden Smith", "Row 2, Local reference: looks like a person's name" },
        { "surname-first", "SMITH, Jayden", "Row 2, Local reference: looks like a person's name" },
        { "date-of-birth-text", "FGC 12/03/2015", "Row 2, Local reference: looks like a date of birth" },
        { "date-of-birth-cell", new DateTime(2015, 3, 12), "Row 2, Local reference: looks like a date of birth" },
        { "date-of-birth-words", "R1 12 March 2015", "Row 2, Local reference: looks like a date of birth" },
    };

    [Theory]
    [MemberData(nameof(BadReferences))]
    public void Compute_ReferenceLikeANameOrDateOfBirth_IsARowProblemThatNeverQuotesIt(string scenario, object reference, string expected)
    {
        var result = Compute(TrackerBuilder.Empty().Referral("OK-1", "2025-06-02").WithCell("reference", reference));

        result.Problems.ShouldHaveSingleItem().ToString().ShouldStartWith(expected, customMessage: scenario);
        result.Problems[0].ToString().ShouldNotContain("Smith");
        result.Problems[0].ToString().ShouldNotContain("2015");
        result.Values.ShouldBeEmpty();
    }

    [Fact]
    public void Compute_RowProblems_ListEachByRowAndColumn()
    {
        var result = Compute(TrackerBuilder.Empty()
            .Referral("D1", "2025-06-10", offered: "2025-06-11", response: "Accepted", initialFgc: "2025-06-01")
            .Referral("D2", "2025-06-10", outcome: "With parents")
            .Referral("D3", "1999-06-10")
            .Referral("D4", "2025-06-10", stage: "Space").WithCell("children", "lots"));

        result.Problems.Select(p => p.ToString()).ShouldBe(
        [
            "Row 2, Initial FGC date: is before the referral date: check both dates",
            "Row 3, Living arrangement on 31 March: is filled in but initial FGC date is blank",
            "Row 4, Referral date: is outside any sensible range: it must be between 1 January 2000 and 31 March 2027",
            "Row 5, Number of children: must be a whole number from 1 to 30",
            "Row 5, Stage at referral: must be one of: Early help; Child in need; Child protection; Pre-proceedings (Public Law Outline); During care proceedings; Looked after; Other or not known",
        ], ignoreOrder: true);
        result.Values.ShouldBeEmpty();
    }

    public static TheoryData<string, string> HostileFiles() => new()
    {
        { "empty", "The file is empty" },
        { "not-xlsx", "must be an Excel workbook" },
        { "corrupt", "could not be opened" },
        { "too-large", "larger than 5 MB" },
        { "no-tracker-sheet", "no sheet called 'Tracker'" },
        { "zip-bomb", "unzips to far more than its size" },
        { "lying-zip-bomb", "could not be opened" },
        { "million-empty-rows", "more than 20,000 rows" },
        { "deeply-nested", "nested more than 40 levels deep" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Compute_HostileFile_IsRefusedWithTheUploadMessage(string scenario, string expected)
    {
        var (bytes, name) = scenario switch
        {
            "empty" => ([], "t.xlsx"),
            "not-xlsx" => ("reference,referral_date\nR1,2025-06-01\n"u8.ToArray(), "t.csv"),
            "corrupt" => ([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8], "t.xlsx"),
            "too-large" => (new byte[(5 * 1024 * 1024) + 1], "t.xlsx"),
            "zip-bomb" => (Builders.HostileFiles.ZipBomb(TrackerBuilder.Empty().Build(Fgc11), 1L << 30), "t.xlsx"),
            "lying-zip-bomb" => (Builders.HostileFiles.LyingZipBomb(TrackerBuilder.Empty().Build(Fgc11), 1L << 30), "t.xlsx"),
            "million-empty-rows" => (Builders.HostileFiles.EmptyRows(TrackerBuilder.Empty().Build(Fgc11), 1_000_000), "t.xlsx"),
            "deeply-nested" => (Builders.HostileFiles.DeeplyNested(TrackerBuilder.Empty().Build(Fgc11), 10_000), "t.xlsx"),
            _ => (EmptyWorkbook(), "t.xlsx"),
        };

        var result = TrackerComputation.Compute(new MemoryStream(bytes), name, bytes.Length, Fgc11, Start, End);

        result.Problems.ShouldHaveSingleItem().Message.ShouldContain(expected);
        result.Values.ShouldBeEmpty();
    }

    [Fact]
    public void Compute_FormulaCell_UsesItsCachedResultAndNeverEvaluatesIt()
    {
        var bytes = TrackerBuilder.Empty().Referral("F1", "2025-06-02", children: 2).Build(Fgc11);
        using (var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes)))
        {
            workbook.Worksheet("Tracker").Cell(2, 3).FormulaA1 = "WEBSERVICE(\"http://example.invalid/\")";
            using var output = new MemoryStream();
            workbook.SaveAs(output);
            bytes = output.ToArray();
        }

        var result = TrackerComputation.Compute(new MemoryStream(bytes), "t.xlsx", bytes.Length, Fgc11, Start, End);

        result.Values.ShouldBeEmpty();
        result.Problems.ShouldHaveSingleItem().ToString().ShouldBe("Row 2, Number of children: is blank: fill it in");
    }

    [Fact]
    public void Template_FromTheDefinition_HasInstructionsSayingWhatNotToEnterAndDropDowns()
    {
        using var stream = new MemoryStream();
        TrackerTemplateWriter.Write(stream, Fgc11);
        stream.Position = 0;
        using var workbook = new ClosedXML.Excel.XLWorkbook(stream);

        var instructions = string.Join("\n", workbook.Worksheet("Instructions").CellsUsed().Select(c => c.GetString()));
        instructions.ShouldContain("Do not enter names, dates of birth, addresses");
        instructions.ShouldContain("Initial FGCs held: Number of families");
        var sheet = workbook.Worksheet("Tracker");
        sheet.Cell(1, 1).GetString().ShouldBe("Local reference");
        sheet.DataValidations.Count().ShouldBeGreaterThanOrEqualTo(Fgc11.Tracker!.Columns.Count);
        sheet.Cell(2, 4).DataValidation.AllowedValues.ShouldBe(ClosedXML.Excel.XLAllowedValues.List);
        sheet.Cell(2, 2).DataValidation.AllowedValues.ShouldBe(ClosedXML.Excel.XLAllowedValues.Date);
    }

    private static byte[] EmptyWorkbook()
    {
        using var workbook = new ClosedXML.Excel.XLWorkbook();
        workbook.AddWorksheet("Sheet1").Cell(1, 1).Value = "hello";
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }
}
