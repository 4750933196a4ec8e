using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ClosedXML.Excel;
using FgcReturns.Core;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Validation;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FgcReturns.IntegrationTests.PeerInsight;

/// <summary>
/// Peer queries end to end: the 2025-26 demo collection on the 1.1 draft (which has the peer rules), the demo's
/// accepted 2024-25 returns built into a final benchmark, and Medway's return far below its peers.
/// </summary>
public sealed class PeerQueryTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string MedwayLead = TestData.Users.MedwayLead;
    private FgcWebFactory factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.Server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("UPDATE collections SET definition_version = '1.1' WHERE period = '2025-26'", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        factory = new FgcWebFactory(connectionString);
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    /// <summary>Medway's 1.1 return with 3 of 50 families agreeing (6%).</summary>
    private static IReadOnlyDictionary<string, string?> FarFromPeers() => ReturnValuesBuilder.ValidFgc11()
        .With("families_accepted", "3").With("accepted_pre_proceedings", "2").Build();

    private Task<BenchmarkBuildResult> BuildFinalAsync() =>
        factory.WithServiceAsync<BenchmarkBuilder, BenchmarkBuildResult>(b => b.BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct));

    /// <summary>
    /// The message P01 must give, from the build's own England row for acceptance_rate in 2024-25: its median as
    /// others may see it (left out when the build suppressed it).
    /// </summary>
    private async Task<string> ExpectedMessageAsync(string rate)
    {
        var (england, threshold) = await factory.WithDbAsync(async db =>
        {
            var build = await db.Set<BenchmarkBuild>().AsNoTracking().SingleAsync(b => b.IsCurrent && b.Kind == BenchmarkKind.Final, Ct);
            var period = await db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync(Ct);
            var row = await db.Set<BenchmarkAreaValue>().AsNoTracking()
                .SingleAsync(a => a.BuildId == build.Id && a.CollectionId == period && a.AreaLevel == AreaLevel.National && a.SeriesKey == "acceptance_rate", Ct);
            return (row, build.SuppressionThreshold);
        });
        var median = DisclosureControl.Area(england, MeasureKind.Indicator, DisclosureControl.Statistic.Median, threshold, DisclosureView.Suppressed).Number;
        var medianText = median is { } m ? $" (England median {MeasureFormat.Value(m, 100m, null)})" : "";
        return $"Your acceptance rate, {rate}, is lower than 95% of local authorities last year{medianText}. Check the figures, or explain why.";
    }

    [Fact]
    public async Task Return_FarBelowDemoPeers_RaisesThePeerQueryOnThePageInTheUploadPreviewAndInTheSubmittedSnapshot()
    {
        // Arrange: before any final build the rule is silent (the first year).
        var lead = await factory.PrincipalAsync(MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var saved = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, FarFromPeers().AsChangesFromBlank(), ChangeSource.Form, Ct));
        saved.State!.Validation.Issues.ShouldNotContain(i => i.RuleId == "P01");
        (await BuildFinalAsync()).Outcome.ShouldBe(BuildOutcome.Succeeded);
        var expected = await ExpectedMessageAsync("6%");
        var client = await factory.CreateBrowserlessClient().SignedInAsync(MedwayLead);

        // Act 1: the section page of the offers.
        var page = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/sections/offers", UriKind.Relative), Ct);

        // Act 2: an upload changing families_accepted to 4 (8%), previewed.
        var template = await client.GetByteArrayAsync(new Uri($"/returns/{ret.Id}/template.xlsx", UriKind.Relative), Ct);
        var upload = await PostUploadAsync(client, ret.Id, Fill(template, "families_accepted", 4), "medway.xlsx");
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var preview = await client.GetStringAsync(new Uri(upload.Headers.Location!.PathAndQuery, UriKind.Relative), Ct);

        // Act 3: explain every query and submit.
        var context = await factory.WithServiceAsync<ReturnService, ReturnContext?>(s => s.GetAsync(lead, ret.Id, Ct));
        foreach (var query in context!.Validation.Queries.Select(q => q.RuleId).Distinct())
        {
            await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveExplanationAsync(lead, ret.Id, query, "Our service changed its offer letters this year.", ct: Ct));
        }

        var submitted = await factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service", Ct));

        // Assert
        context.Validation.Issues.Single(i => i.RuleId == "P01").Message.ShouldBe(expected);
        context.Validation.Issues.Single(i => i.RuleId == "P01").Severity.ShouldBe(Severity.Query);
        page.ShouldContain(WebUtility.HtmlEncode(expected));
        preview.ShouldContain(WebUtility.HtmlEncode(await ExpectedMessageAsync("8%")));
        submitted.Succeeded.ShouldBeTrue(submitted.Message);
        submitted.Value!.ValidationIssuesJson.ShouldContain("\"RuleId\":\"P01\"");
        submitted.Value.ValidationIssuesJson.ShouldContain(expected);
    }

    [Fact]
    public async Task SectionPage_AfterANewFinalBuild_ComparesWithTheNewBuildNotTheFiguresKeptForTheOldOne()
    {
        // Arrange: Medway at 6% is below England's 5th percentile in the first build.
        var lead = await factory.PrincipalAsync(MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, FarFromPeers().AsChangesFromBlank(), ChangeSource.Form, Ct));
        (await BuildFinalAsync()).Outcome.ShouldBe(BuildOutcome.Succeeded);
        var expected = WebUtility.HtmlEncode(await ExpectedMessageAsync("6%"));
        var client = await factory.CreateBrowserlessClient().SignedInAsync(MedwayLead);
        var offers = new Uri($"/returns/{ret.Id}/sections/offers", UriKind.Relative);
        var first = await client.GetStringAsync(offers, Ct);

        // Act 1: the first build's rows are changed behind its back (a build never changes once current, so the
        // figures read for it are kept): every LA's 2024-25 acceptance rate becomes 0%.
        await ExecuteAsync("""
            UPDATE benchmark_la_values SET value = 0
            WHERE build_id = (SELECT id FROM benchmark_builds WHERE is_current AND kind = 'Final') AND series_key = 'acceptance_rate'
            """);
        var sameBuild = await client.GetStringAsync(offers, Ct);

        // Act 2: the accepted 2024-25 returns really change (no family agreed anywhere) and a new final build is made.
        await ExecuteAsync("""
            UPDATE returns SET "values" = jsonb_set("values", '{families_accepted}', to_jsonb('0'::text))
            WHERE status = 'Accepted' AND collection_id = (SELECT id FROM collections WHERE period = '2024-25')
            """);
        (await BuildFinalAsync()).Outcome.ShouldBe(BuildOutcome.Succeeded);
        var newBuild = await client.GetStringAsync(offers, Ct);
        var context = await factory.WithServiceAsync<ReturnService, ReturnContext?>(s => s.GetAsync(lead, ret.Id, Ct));

        // Assert: read once per build, and a new current build is read afresh (on the page and in a save's validation).
        first.ShouldContain(expected);
        sameBuild.Contains(expected, StringComparison.Ordinal).ShouldBeTrue("the figures of the build that is still current were kept, not read again");
        newBuild.Contains("is lower than 95% of local authorities", StringComparison.Ordinal).ShouldBeFalse("the new build puts 6% above every LA");
        context!.Validation.Issues.ShouldNotContain(i => i.RuleId == "P01" && i.Message.Contains("lower than 95%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAnswers_WithAFinalBuild_ShowsTheBuildsPublishedFiguresForMedwaysAreasAndNothingOfAnotherLa()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, FarFromPeers().AsChangesFromBlank(), ChangeSource.Form, Ct));
        var client = await factory.CreateBrowserlessClient().SignedInAsync(MedwayLead);
        var before = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/check", UriKind.Relative), Ct);
        (await BuildFinalAsync()).Outcome.ShouldBe(BuildOutcome.Succeeded);
        var (rows, threshold, others) = await factory.WithDbAsync(async db =>
        {
            var build = await db.Set<BenchmarkBuild>().AsNoTracking().SingleAsync(b => b.IsCurrent && b.Kind == BenchmarkKind.Final, Ct);
            var period = await db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync(Ct);
            var medway = await db.LocalAuthorities.AsNoTracking().SingleAsync(l => l.Code == TestData.Medway, Ct);
            var areaRows = await db.Set<BenchmarkAreaValue>().AsNoTracking()
                .Where(a => a.BuildId == build.Id && a.CollectionId == period && a.SeriesKey == "acceptance_rate"
                    && ((a.AreaLevel == AreaLevel.National) || (a.AreaLevel == AreaLevel.Regional && a.AreaCode == medway.RegionCode)
                        || (a.AreaLevel == AreaLevel.Neighbours && a.AreaCode == TestData.Medway)))
                .ToListAsync(Ct);
            var otherNames = await db.LocalAuthorities.Where(l => l.Code != TestData.Medway).Select(l => l.Name).ToListAsync(Ct);
            return (areaRows, build.SuppressionThreshold, otherNames);
        });
        string Published(AreaLevel level, DisclosureControl.Statistic statistic) =>
            DisclosureControl.Area(rows.Single(r => r.AreaLevel == level), MeasureKind.Indicator, statistic, threshold, DisclosureView.Suppressed) is { } f
                ? f.Number is { } n ? MeasureFormat.Value(n, 100m, null) : f.Symbol! : "";

        // Act
        var html = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/check", UriKind.Relative), Ct);

        // Assert: the acceptance rate row carries the build's England, region and neighbour figures as published.
        before.ShouldContain("There is no final benchmark from an earlier year yet");
        var row = html[html.IndexOf("data-key=\"acceptance_rate\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        var cells = System.Text.RegularExpressions.Regex.Matches(row, "<td[^>]*>(.*?)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        cells.ShouldBe([
            "6%",
            Published(AreaLevel.National, DisclosureControl.Statistic.Median),
            Published(AreaLevel.National, DisclosureControl.Statistic.LowerQuartile) + " to " + Published(AreaLevel.National, DisclosureControl.Statistic.UpperQuartile),
            Published(AreaLevel.Regional, DisclosureControl.Statistic.Median),
            Published(AreaLevel.Neighbours, DisclosureControl.Statistic.Median),
            "Lowest quarter"]);
        html.ShouldContain("Families who agreed to an FGC: yours would be 6%, lower than three quarters of local authorities last year");
        others.Where(name => html.Contains(WebUtility.HtmlEncode(name), StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Funnel_OnCompareAndBenchmarks_ShowsTheBuildsRatesAndCountsNotASecondCalculation()
    {
        // Arrange
        (await BuildFinalAsync()).Outcome.ShouldBe(BuildOutcome.Succeeded);
        var (areas, laValues, threshold) = await factory.WithDbAsync(async db =>
        {
            var build = await db.Set<BenchmarkBuild>().AsNoTracking().SingleAsync(b => b.IsCurrent && b.Kind == BenchmarkKind.Final, Ct);
            var period = await db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync(Ct);
            var a = await db.Set<BenchmarkAreaValue>().AsNoTracking().Where(x => x.BuildId == build.Id && x.CollectionId == period
                && (x.AreaLevel == AreaLevel.National || (x.AreaLevel == AreaLevel.Neighbours && x.AreaCode == TestData.Medway))).ToListAsync(Ct);
            var l = await db.Set<BenchmarkLaValue>().AsNoTracking().Where(x => x.BuildId == build.Id && x.CollectionId == period && x.LaCode == TestData.Medway).ToListAsync(Ct);
            return (a, l, build.SuppressionThreshold);
        });
        string AreaRate(AreaLevel level, string key) => DisclosureControl.Area(areas.Single(a => a.AreaLevel == level && a.SeriesKey == key),
            MeasureKind.Indicator, DisclosureControl.Statistic.Rate, threshold, DisclosureView.Suppressed).Format(1);
        string AreaTotal(string key) => DisclosureControl.Area(areas.Single(a => a.AreaLevel == AreaLevel.National && a.SeriesKey == key),
            MeasureKind.Count, DisclosureControl.Statistic.Total, threshold, DisclosureView.Suppressed).Format(0);
        string Own(string key) => DisclosureControl.La(laValues.Single(v => v.SeriesKey == key), DisclosureView.Unsuppressed).Format(1);
        var lead = await factory.CreateBrowserlessClient().SignedInAsync(MedwayLead);
        var analyst = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var compare = await lead.GetStringAsync(new Uri("/compare", UriKind.Relative), Ct);
        var benchmarks = await analyst.GetStringAsync(new Uri("/benchmarks", UriKind.Relative), Ct);

        // Assert: Medway, England, South East, neighbours; offered to agreed is the build's acceptance_rate, and so on.
        var funnel = Section(compare, "data-testid=\"funnel\"");
        Cells(funnel, "data-rate=\"1\"").ShouldSatisfyAllConditions(
            c => c[0].ShouldBe(Own("acceptance_rate")),
            c => c[1].ShouldBe(AreaRate(AreaLevel.National, "acceptance_rate")),
            c => c[3].ShouldBe(AreaRate(AreaLevel.Neighbours, "acceptance_rate")));
        Cells(funnel, "data-rate=\"2\"")[1].ShouldBe(AreaRate(AreaLevel.National, "conversion_rate"));
        Cells(funnel, "data-rate=\"3\"")[1].ShouldBe(AreaRate(AreaLevel.National, "plan_agreed_rate"));
        Cells(funnel, "data-rate=\"0\"").ShouldAllBe(c => c == "x", "2024-25 is on 1.0, which has no offer_rate: not calculated here");
        Cells(funnel, "data-step=\"1\"")[1].ShouldBe(AreaTotal("families_offered"));
        funnel.ShouldContain("role=\"img\"");
        var national = Section(benchmarks, "data-testid=\"funnel\"");
        Cells(national, "data-rate=\"1\"")[0].ShouldBe(AreaRate(AreaLevel.National, "acceptance_rate"));
        Cells(national, "data-rate=\"1\"").Count.ShouldBe(10, "England and the 9 regions");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static string Section(string html, string marker)
    {
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "no " + marker);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static List<string> Cells(string html, string rowMarker)
    {
        var row = html[html.IndexOf(rowMarker, StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        return System.Text.RegularExpressions.Regex.Matches(row, "<td[^>]*>(.*?)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    private static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client, int returnId, byte[] bytes, string fileName)
    {
        var page = await client.GetStringAsync(new Uri($"/returns/{returnId}/upload", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(SignInExtensions.AntiforgeryToken(page)), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "File", fileName);
        return await client.PostAsync(new Uri($"/returns/{returnId}/upload", UriKind.Relative), form, Ct);
    }

    /// <summary>Types a number into the answer cell of one item of a downloaded template (found by its key in column A).</summary>
    private static byte[] Fill(byte[] template, string key, int value)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        workbook.Worksheets.Select(s => s.Column(1).CellsUsed().FirstOrDefault(c => c.GetString() == key))
            .First(c => c is not null)!.WorksheetRow().Cell(4).Value = value.ToString(CultureInfo.InvariantCulture);
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }
}
