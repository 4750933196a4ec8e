using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>The LA benchmark workbook's FGC funnel (issue 14) against the build's own rows, and its configured publication date.</summary>
public sealed class LaWorkbookFunnelTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LaWorkbook_DemoLikeBuild_FunnelShowsTheBuildsCountsAndRatesSuppressedAsPublished()
    {
        // Arrange: every LA with the demo's synthetic 2024-25 return (definition 1.0: no offer_rate), and a publication date.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        await using (var setup = host.CreateDb())
        {
            await setup.Collections.Where(c => c.Id == collection).ExecuteUpdateAsync(u => u.SetProperty(c => c.PublicationDate, new DateOnly(2026, 3, 26)), Ct);
        }
        const string La = TestData.Medway; // Medway, South East

        // Act
        var file = await host.Get<BenchmarkExports>().LaWorkbookAsync(BenchmarkTestHost.SurveyId, La, ct: Ct);

        // Assert: each cell is the build's row as this LA may see it: its own in full, areas as published.
        using var workbook = new XLWorkbook(new MemoryStream(file!.Content));
        var sheet = workbook.Worksheet("Funnel");
        var rows = sheet.Tables.Single().DataRange.Rows().ToDictionary(r => r.Cell(1).GetString());
        await using var db = host.CreateDb();
        var laValues = await db.Set<BenchmarkLaValue>().AsNoTracking().Where(v => v.BuildId == build.BuildId && v.CollectionId == collection && v.LaCode == La).ToListAsync(Ct);
        var region = await db.LocalAuthorities.Where(l => l.Code == La).Select(l => l.RegionCode).SingleAsync(Ct);
        var areas = await db.Set<BenchmarkAreaValue>().AsNoTracking().Where(a => a.BuildId == build.BuildId && a.CollectionId == collection
            && ((a.AreaLevel == AreaLevel.National) || (a.AreaLevel == AreaLevel.Regional && a.AreaCode == region) || (a.AreaLevel == AreaLevel.Neighbours && a.AreaCode == La))).ToListAsync(Ct);
        var threshold = host.Get<BenchmarkOptions>().SuppressionThreshold;
        var checkedCells = 0;
        foreach (var (step, key, kind) in new[]
        {
            ("Families referred", "referrals_families", MeasureKind.Count), ("Offered an FGC", "families_offered", MeasureKind.Count),
            ("Agreed to an FGC", "families_accepted", MeasureKind.Count), ("Initial FGC held", "fgcs_held", MeasureKind.Count),
            ("Plan agreed", "plans_agreed", MeasureKind.Count), ("Offered to agreed", "acceptance_rate", MeasureKind.Indicator),
            ("Agreed to held", "conversion_rate", MeasureKind.Indicator), ("Held to plan agreed", "plan_agreed_rate", MeasureKind.Indicator),
        })
        {
            var row = rows[step];
            var statistic = kind == MeasureKind.Count ? DisclosureControl.Statistic.Total : DisclosureControl.Statistic.Rate;
            var expected = new[]
            {
                DisclosureControl.La(laValues.Single(v => v.MeasureKey == key), DisclosureView.Unsuppressed),
                DisclosureControl.Area(areas.Single(a => a.MeasureKey == key && a.AreaLevel == AreaLevel.National), kind, statistic, threshold, DisclosureView.Suppressed),
                DisclosureControl.Area(areas.Single(a => a.MeasureKey == key && a.AreaLevel == AreaLevel.Regional), kind, statistic, threshold, DisclosureView.Suppressed),
                DisclosureControl.Area(areas.Single(a => a.MeasureKey == key && a.AreaLevel == AreaLevel.Neighbours), kind, statistic, threshold, DisclosureView.Suppressed),
            };
            for (var i = 0; i < expected.Length; i++)
            {
                var cell = row.Cell(3 + i);
                if (expected[i].Number is { } number)
                {
                    cell.DataType.ShouldBe(XLDataType.Number, $"{step} column {i}");
                    cell.GetValue<decimal>().ShouldBe(number, 0.0000001m, $"{step} column {i}");
                }
                else
                {
                    cell.GetString().ShouldBe("[" + expected[i].Symbol + "]", $"{step} column {i}");
                }

                checkedCells++;
            }
        }

        checkedCells.ShouldBe(32);
        rows["Referred to offered"].Cells(3, 6).Select(c => c.GetString()).ShouldAllBe(s => s == "[x]"); // offer_rate is new in 1.1
        Header(sheet).ShouldBe(["Step", "Figure", "Medway", "England", "South East", "Statistical neighbours"]);

        var cover = workbook.Worksheet("Cover");
        cover.CellsUsed().Single(c => c.DataType == XLDataType.DateTime).GetDateTime().ShouldBe(new DateTime(2026, 3, 26));
    }

    private static List<string> Header(IXLWorksheet sheet) => sheet.Row(3).CellsUsed().Select(c => c.GetString()).ToList();
}
