using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using Microsoft.Extensions.Configuration;

namespace FgcReturns.Core.Tests.Exports;

public class BenchmarkWorkbookTests
{
    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("+44 20", "'+44 20")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("Medway", "Medway")]
    [InlineData("", "")]
    public void Neutralise_FormulaLikeText_IsPrefixedWithAnApostrophe(string text, string expected) =>
        SpreadsheetSafety.Neutralise(text).ShouldBe(expected);

    [Fact]
    public void NationalWorkbook_FollowsTheAnalysisFunctionLayout()
    {
        // Arrange
        var snapshot = BenchmarkSnapshots.TwoYears();

        // Act
        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        // Assert
        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Cover", "Contents", "Notes", "England", "Regions", "Local_authorities", "Completeness", "Data_items", "Year_on_year"]);
        foreach (var sheet in workbook.Worksheets.Skip(1))
        {
            sheet.MergedRanges.ShouldBeEmpty(sheet.Name);
            sheet.Tables.Count().ShouldBe(1, sheet.Name);
            sheet.Tables.Single().RangeAddress.FirstAddress.RowNumber.ShouldBe(3, sheet.Name);
            sheet.SheetView.SplitRow.ShouldBe(3, sheet.Name);
        }

        var cover = workbook.Worksheet("Cover");
        cover.Cell(1, 1).GetString().ShouldContain("2024-25");
        Text(cover).ShouldContain("Final: accepted returns only.");
        Text(cover).ShouldContain("data@example");
        Text(workbook.Worksheet("Notes")).ShouldContain("confidential");
        Text(workbook.Worksheet("Contents")).ShouldContain("Table 3: by local authority, 2024-25");
    }

    [Fact]
    public void NationalWorkbook_CoverAndContents_HaveTitleDateAndALinkToEverySheet()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        byte[] bytes;
        using (var built = NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations", publishedOn: new DateOnly(2025, 9, 25)))
        {
            bytes = GafWorkbook.ToBytes(built);
        }

        using var workbook = new XLWorkbook(new MemoryStream(bytes));

        workbook.Properties.Title.ShouldBe("Family group conferences: national benchmarks, 2024-25");
        using (var package = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(bytes), false))
        {
            package.PackageProperties.Language.ShouldBe("en-GB");
        }

        var cover = workbook.Worksheet("Cover");
        cover.Position.ShouldBe(1);
        var published = cover.CellsUsed().Where(c => c.DataType == XLDataType.DateTime).ShouldHaveSingleItem();
        published.GetDateTime().ShouldBe(new DateTime(2025, 9, 25)); // the date the analysts set, not the build's (1 July 2025)
        published.Style.NumberFormat.Format.ShouldBe("d mmmm yyyy");
        Text(cover).ShouldContain("[c] = confidential");
        var contents = workbook.Worksheet("Contents");
        var linked = contents.Column(1).CellsUsed().Where(c => c.Address.RowNumber > 3).ToList();
        linked.Select(c => c.GetString()).ShouldBe(workbook.Worksheets.Skip(2).Select(w => w.Name));
        foreach (var cell in linked)
        {
            cell.HasHyperlink.ShouldBeTrue(cell.GetString());
            cell.Hyperlink.InternalAddress.ShouldBe("'" + cell.GetString() + "'!A1");
        }
    }

    [Fact]
    public void Workbooks_NoPublicationDateSet_CoverSaysNotYetPublishedAndShowsNoDate()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        foreach (var cover in new[] { national.Worksheet("Cover"), la.Worksheet("Cover") })
        {
            cover.CellsUsed().ShouldNotContain(c => c.DataType == XLDataType.DateTime); // not the build's date passed off as one
            var heading = cover.CellsUsed().Single(c => c.GetString() == "Publication date");
            cover.Cell(heading.Address.RowNumber + 1, 1).GetString().ShouldStartWith("Not yet published");
        }
    }

    [Fact]
    public void LaWorkbook_PublicationDateSet_CoverShowsItAsADate()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations", publishedOn: new DateOnly(2026, 3, 26)));

        var date = la.Worksheet("Cover").CellsUsed().Where(c => c.DataType == XLDataType.DateTime).ShouldHaveSingleItem();
        date.GetDateTime().ShouldBe(new DateTime(2026, 3, 26));
        date.Style.NumberFormat.Format.ShouldBe("d mmmm yyyy");
        Text(la.Worksheet("Cover")).ShouldNotContain("Not yet published");
    }

    [Fact]
    public void Workbooks_DataTables_HaveNoBlankCellsAndOnlyBracketedSymbolsExplainedInNotes()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        foreach (var workbook in new[] { national, la })
        {
            foreach (var table in workbook.Worksheets.Skip(1).Select(w => w.Tables.Single()))
            {
                foreach (var cell in table.DataRange.Cells())
                {
                    var where = table.Worksheet.Name + "!" + cell.Address;
                    cell.IsEmpty().ShouldBeFalse(where);
                    cell.GetString().ShouldNotBeOneOf(["c", "x", "z", "low"], where);
                }
            }

            var notes = Text(workbook.Worksheet("Notes"));
            notes.ShouldContain("[c] means confidential");
            notes.ShouldContain("[x] means not available");
            notes.ShouldContain("[z] means not applicable");
        }

        var dictionary = national.Worksheet("Data_items");
        var accepted = dictionary.RowsUsed().Single(r => r.Cell(1).GetString() == "families_accepted");
        accepted.Cell(7).GetString().ShouldBe("[z]"); // a count has no numerator
    }

    [Fact]
    public void Workbooks_TableTitles_ReferToNotesThatExistAndSheetNamesHaveNoSpaces()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        foreach (var workbook in new[] { national, la })
        {
            var notes = workbook.Worksheet("Notes").Column(1).CellsUsed().Select(c => c.GetString()).ToHashSet(StringComparer.Ordinal);
            foreach (var sheet in workbook.Worksheets)
            {
                sheet.Name.ShouldNotContain(' ');
                if (sheet.Name is "Cover" or "Contents" or "Notes")
                {
                    continue;
                }

                var references = System.Text.RegularExpressions.Regex.Matches(sheet.Cell(1, 1).GetString(), @"\[note \d+\]").Select(m => m.Value).ToList();
                references.ShouldNotBeEmpty(sheet.Name);
                references.ShouldAllBe(r => notes.Contains(r), sheet.Name);
            }
        }
    }

    [Fact]
    public void Workbooks_SquareBracketsInTitlesAndHeaders_AreOnlyNotesAndSymbolsExplainedInNotes()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var suppressed = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var unsuppressed = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Unsuppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        foreach (var workbook in new[] { suppressed, unsuppressed, la })
        {
            AssertBracketsAreNotesOrSymbols(workbook);
        }

        var byLa = suppressed.Worksheet("Local_authorities");
        Header(byLa).Keys.ShouldContain("Families who agreed to an FGC (families; key families_accepted)"); // the key is still there, in round brackets
    }

    /// <summary>
    /// In every sheet's title, description and header row, and on the cover, a token in square brackets is a note the
    /// Notes sheet lists ("[note 3]") or a symbol it explains ("[c]"): nothing else (such as an item key) uses them.
    /// </summary>
    internal static void AssertBracketsAreNotesOrSymbols(XLWorkbook workbook)
    {
        var notesSheet = workbook.Worksheet("Notes");
        var listed = notesSheet.Column(1).CellsUsed().Select(c => c.GetString()).Where(t => t.StartsWith('[')).ToHashSet(StringComparer.Ordinal);
        var notesText = Text(notesSheet);
        foreach (var symbol in listed.Where(t => !t.StartsWith("[note", StringComparison.Ordinal)))
        {
            notesText.ShouldContain("The symbol " + symbol + " means", Case.Sensitive, symbol);
        }

        foreach (var sheet in workbook.Worksheets)
        {
            var texts = sheet.Name == "Cover"
                ? sheet.CellsUsed().Select(c => (Where: c.Address.ToString()!, Text: c.GetString()))
                : sheet.Range(1, 1, 3, Math.Max(1, sheet.LastColumnUsed()?.ColumnNumber() ?? 1)).CellsUsed().Select(c => (Where: c.Address.ToString()!, Text: c.GetString()));
            foreach (var (where, text) in texts)
            {
                foreach (var token in System.Text.RegularExpressions.Regex.Matches(text, @"\[[^\]]*\]").Select(m => m.Value))
                {
                    listed.ShouldContain(token, $"{sheet.Name}!{where}: {text}");
                }
            }
        }
    }

    [Fact]
    public void Workbooks_NumbersAndDates_AreStoredAsNumbersWithFormats()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        var completeness = national.Worksheet("Completeness");
        var header = Header(completeness);
        var medway = Row(completeness, "887");
        medway.Cell(header["Accepted (UTC)"]).DataType.ShouldBe(XLDataType.DateTime);
        Row(completeness, "301").Cell(header["Return status"]).GetString().ShouldBe("In progress"); // words, not the code name InProgress
        var series = national.Worksheet("Year_on_year");
        var held = series.RowsUsed().Single(r => r.Cell(1).GetString() == "initial_fgcs_held" && r.Cell(6).GetString() == "E92000001");
        held.Cell(Header(series)["2024-25"]).DataType.ShouldBe(XLDataType.Number);
        held.Cell(Header(series)["2024-25"]).Style.NumberFormat.Format.ShouldBe("#,##0"); // a whole count, not 49.0
        var rate = series.RowsUsed().Single(r => r.Cell(1).GetString() == "conversion_rate" && r.Cell(6).GetString() == "E92000001");
        rate.Cell(Header(series)["2024-25"]).Style.NumberFormat.Format.ShouldBe("#,##0.0");
        var englandAccepted = national.Worksheet("England").RowsUsed().Single(r => r.Cell(2).GetString() == "families_accepted");
        englandAccepted.Cell(13).DataType.ShouldBe(XLDataType.Number);
        englandAccepted.Cell(13).Style.NumberFormat.Format.ShouldBe("#,##0"); // maximum of a count is a whole number
        englandAccepted.Cell(9).Style.NumberFormat.Format.ShouldBe("#,##0.0"); // median of a count may be a half
        var comparison = la.Worksheet("Comparison");
        var accepted = comparison.RowsUsed().Single(r => r.Cell(1).GetString() == "families_accepted");
        accepted.Cell(4).Style.NumberFormat.Format.ShouldBe("#,##0");
        accepted.Cell(8).Style.NumberFormat.Format.ShouldBe("#,##0"); // England total
        foreach (var sheet in national.Worksheets.Concat(la.Worksheets).Skip(1).Where(w => w.Name != "Cover"))
        {
            sheet.Cell(1, 1).GetString().ShouldNotBeNullOrWhiteSpace(sheet.Name); // title row in A1
            sheet.Tables.Single().HeadersRow().RowNumber().ShouldBe(3, sheet.Name); // headers in one row
        }
    }

    [Fact]
    public void NationalWorkbook_Suppressed_ShowsCForSmallCountsAndRatesFromThem()
    {
        // Arrange
        var snapshot = BenchmarkSnapshots.TwoYears();

        // Act
        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        // Assert
        var byLa = workbook.Worksheet("Local_authorities");
        var medway = Row(byLa, "887");
        var header = Header(byLa);
        medway.Cell(header["Families who agreed to an FGC (families; key families_accepted)"]).GetString().ShouldBe("[c]");
        medway.Cell(header["Agreed FGCs that were held (% of families who agreed; key conversion_rate)"]).GetString().ShouldBe("[c]");
        medway.Cell(header["FGC coordinators (FTE) (fte; key coordinators_fte)"]).GetDouble().ShouldBe(2.5);
        Row(byLa, "855").Cell(header["FGC coordinators (FTE) (fte; key coordinators_fte)"]).GetString().ShouldBe("[x]");
        Row(byLa, "301").Cell(header["Families who agreed to an FGC (families; key families_accepted)"]).GetString().ShouldBe("[x]");
        var regions = workbook.Worksheet("Regions");
        var southEast = regions.RowsUsed().Single(r => r.Cell(1).GetString() == "E12000008" && r.Cell(3).GetString() == "families_accepted");
        southEast.Cell(6).GetString().ShouldBe("[c]");
        var england = workbook.Worksheet("England");
        var rate = england.RowsUsed().Single(r => r.Cell(2).GetString() == "conversion_rate");
        rate.Cell(7).GetDouble().ShouldBe((double)(49m / 63m * 100m), 0.0001);
        rate.Cell(12).GetDouble().ShouldBe(50); // public minimum
        rate.Cell(13).GetDouble().ShouldBe(90); // public maximum: Medway's suppressed 100 is left out
        Text(workbook.Worksheet("Cover")).ShouldNotContain("OFFICIAL-SENSITIVE");
    }

    [Fact]
    public void NationalWorkbook_Unsuppressed_ShowsEveryFigureAndIsMarkedOfficialSensitive()
    {
        var snapshot = BenchmarkSnapshots.TwoYears(BenchmarkKind.Provisional);

        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Unsuppressed, "data@example", "Foundations"));

        var byLa = workbook.Worksheet("Local_authorities");
        Row(byLa, "887").Cell(Header(byLa)["Families who agreed to an FGC (families; key families_accepted)"]).GetDouble().ShouldBe(3);
        Text(workbook.Worksheet("Cover")).ShouldContain("OFFICIAL-SENSITIVE");
        Text(workbook.Worksheet("Cover")).ShouldContain("Provisional");
    }

    [Fact]
    public void NationalWorkbook_YearOnYear_LinesUpRenamedItems()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var workbook = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));

        var series = workbook.Worksheet("Year_on_year");
        var header = Header(series);
        var held = series.RowsUsed().Single(r => r.Cell(1).GetString() == "initial_fgcs_held" && r.Cell(6).GetString() == "E92000001");
        held.Cell(header["2023-24"]).GetDouble().ShouldBe(45);
        held.Cell(header["2024-25"]).GetDouble().ShouldBe(49);
        series.RowsUsed().ShouldNotContain(r => r.Cell(1).GetString() == "fgcs_held");
    }

    [Fact]
    public void Workbooks_HostileText_IsNeverAFormula()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var national = Reopen(NationalBenchmarkWorkbook.Create(snapshot, DisclosureView.Suppressed, "data@example", "Foundations"));
        using var la = Reopen(LaBenchmarkWorkbook.Create(snapshot, "855", "data@example", "Foundations"));

        foreach (var cell in national.Worksheets.Concat(la.Worksheets).SelectMany(w => w.CellsUsed()))
        {
            cell.HasFormula.ShouldBeFalse(cell.Address.ToString());
            if (cell.GetString().Contains("HYPERLINK", StringComparison.Ordinal))
            {
                // ClosedXML stores the apostrophe as Excel does: a quote prefix on a text cell.
                cell.DataType.ShouldBe(XLDataType.Text);
                (cell.Style.IncludeQuotePrefix || cell.GetString().StartsWith('\'')).ShouldBeTrue(cell.Address.ToString());
            }
        }
    }

    [Fact]
    public void LaWorkbook_ShowsOwnFiguresInFullAndOthersSuppressed()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();

        using var workbook = Reopen(LaBenchmarkWorkbook.Create(snapshot, "887", "data@example", "Foundations"));

        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Cover", "Contents", "Notes", "Comparison", "Funnel", "Neighbours", "Year_on_year"]);
        var comparison = workbook.Worksheet("Comparison");
        var accepted = comparison.RowsUsed().Single(r => r.Cell(1).GetString() == "families_accepted");
        accepted.Cell(4).GetDouble().ShouldBe(3); // its own small count, in full
        accepted.Cell(5).GetDouble().ShouldBe(3); // rank
        accepted.Cell(8).GetDouble().ShouldBe(63); // England total
        accepted.Cell(10).GetString().ShouldBe("[c]"); // South East total is Medway's own 3, but as a region figure it is suppressed
        accepted.Cell(12).GetDouble().ShouldBe(60); // neighbours total
        var neighbours = workbook.Worksheet("Neighbours");
        neighbours.Cell(4, 3).GetString().ShouldBe("Medway");
        neighbours.Cell(4, 4).GetDouble().ShouldBe(100); // own rate in full
        neighbours.Cell(5, 4).GetDouble().ShouldBe(90);
        var series = workbook.Worksheet("Year_on_year");
        Header(series).Keys.Where(h => h.StartsWith("England", StringComparison.Ordinal))
            .ShouldHaveSingleItem().ShouldBe("England: rate for indicators, median of LAs for counts"); // not a bare "England" holding a total here and a median there
    }

    [Fact]
    public void OpenData_WritesTidyEesColumnsSuppressedWithMetadata()
    {
        var snapshot = BenchmarkSnapshots.TwoYears();
        using var data = new StringWriter(CultureInfo.InvariantCulture);
        using var meta = new StringWriter(CultureInfo.InvariantCulture);

        OpenDataCsv.WriteData(snapshot, data);
        OpenDataCsv.WriteMetadata(snapshot, meta);

        var lines = data.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,families_accepted,initial_fgcs_held,coordinators_fte,coordinators_fte_la_median,coordinators_fte_la_lower_quartile,coordinators_fte_la_upper_quartile,conversion_rate,conversion_rate_la_median,conversion_rate_la_lower_quartile,conversion_rate_la_upper_quartile");
        lines.ShouldContain("202425,Financial year,National,E92000001,England,,,,,,Total,Total,63,49,z,3.3,2.9,3.6,77.8,90.0,70.0,95.0");
        lines.ShouldContain("202425,Financial year,Local authority,E92000001,England,E12000008,South East,E06000035,887,Medway,Total,Total,c,c,2.5,z,z,z,c,z,z,z");
        lines.ShouldContain("202324,Financial year,National,E92000001,England,,,,,,Total,Total,50,45,z,x,x,x,x,x,x,x");
        lines.Single(l => l.Contains(",856,", StringComparison.Ordinal)).ShouldContain("\"'=HYPERLINK(");
        var metaLines = meta.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        metaLines[0].ShouldBe("col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,filter_grouping_column");
        metaLines.ShouldContain("breakdown,Filter,Group,,,,The group within the breakdown,breakdown_topic");
        metaLines.ShouldContain("conversion_rate,Indicator,Agreed FGCs that were held (% of families who agreed),Indicators,%,1,,");
        metaLines.ShouldContain("families_accepted,Indicator,Families who agreed to an FGC,Conferences,,0,,");
        metaLines.ShouldContain("coordinators_fte_la_median,Indicator,FGC coordinators (FTE) (median of LAs),Conferences,,1,,");
        metaLines.ShouldContain("conversion_rate_la_lower_quartile,Indicator,Agreed FGCs that were held (% of families who agreed) (lower quartile of LAs),Indicators,%,1,,");
    }

    private static XLWorkbook Reopen(XLWorkbook workbook)
    {
        var bytes = GafWorkbook.ToBytes(workbook);
        workbook.Dispose();
        return new XLWorkbook(new MemoryStream(bytes));
    }

    private static string Text(IXLWorksheet sheet) => string.Join("\n", sheet.CellsUsed().Select(c => c.GetString()));

    private static Dictionary<string, int> Header(IXLWorksheet sheet) =>
        sheet.Row(3).CellsUsed().ToDictionary(c => c.GetString(), c => c.Address.ColumnNumber);

    private static IXLRow Row(IXLWorksheet sheet, string code) => sheet.RowsUsed().Single(r => r.RowNumber() > 3 && r.Cell(1).GetString() == code);
}
