using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using CsvHelper;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Collections;

public sealed partial class CollectionPagesTests(CollectionsWebFixture app) : IClassFixture<CollectionsWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Id => app.OpenCollectionId;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string email, string url)
    {
        var client = await app.ClientAsync(email);
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    private static List<(string Code, ReturnStatus Status)> Rows(string body) =>
        RowPattern().Matches(body).Select(m => (m.Groups["code"].Value, Enum.Parse<ReturnStatus>(m.Groups["status"].Value))).ToList();

    private static Dictionary<ReturnStatus, int> Counts(string body) =>
        CountPattern().Matches(body).ToDictionary(m => Enum.Parse<ReturnStatus>(m.Groups["status"].Value), m => int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task List_Analyst_ShowsCollectionsWithProgress()
    {
        // Act
        var (status, body) = await GetAsync(CollectionsWebFixture.Analyst, "/collections");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain($"href=\"/collections/{Id}\"");
        body.ShouldContain("FGC annual return 2025-26");
        body.ShouldContain("2 of 153");
        body.ShouldNotContain("Create a collection");
    }

    [Fact]
    public async Task Dashboard_Analyst_ListsEveryLaWithCountsAndReviewLinks()
    {
        // Arrange
        var medway = await app.Factory.OpenReturnAsync(TestData.Medway);

        // Act
        var (status, body) = await GetAsync(CollectionsWebFixture.Analyst, $"/collections/{Id}");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        var rows = Rows(body);
        rows.Count.ShouldBe(153);
        rows.Select(r => r.Code).Distinct().Count().ShouldBe(153);
        Counts(body).ShouldBe(new Dictionary<ReturnStatus, int>
        {
            [ReturnStatus.NotStarted] = 148,
            [ReturnStatus.InProgress] = 2,
            [ReturnStatus.Submitted] = 1,
            [ReturnStatus.ReturnedForAmendment] = 1,
            [ReturnStatus.Accepted] = 1,
        });
        body.ShouldContain("2 of 153 returns submitted or accepted (1%)");
        body.ShouldContain("97%");
        body.ShouldContain($"href=\"/review/{medway.Id}\"");
        body.ShouldContain("Friday 18 December 2026");

        // Default order: by status in workflow order.
        rows.Select(r => r.Status).ShouldBe(rows.Select(r => r.Status).Order());
        body.ShouldNotContain("Manage this collection");
    }

    [Theory]
    [InlineData("?status=InProgress&status=Submitted", new[] { "840", "856", TestData.Medway })]
    [InlineData("?status=InProgress&region=E12000004", new[] { "856" })]
    [InlineData("?status=ReturnedForAmendment", new[] { "841" })]
    public async Task Dashboard_FilteredByStatusAndRegion_ShowsOnlyThoseRows(string query, string[] expected)
    {
        // Act
        var (status, body) = await GetAsync(CollectionsWebFixture.Analyst, $"/collections/{Id}{query}");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        Rows(body).Select(r => r.Code).Order().ShouldBe(expected);
        body.ShouldContain($"Showing {expected.Length} of 153 local authorities");

        // Counts stay over the whole collection.
        Counts(body)[ReturnStatus.NotStarted].ShouldBe(148);
    }

    [Fact]
    public async Task Dashboard_FilteredByRegion_ShowsThatRegionsLas()
    {
        // Arrange
        var eastMidlands = await app.Factory.WithDbAsync(db => db.LocalAuthorities.Where(l => l.RegionCode == "E12000004").Select(l => l.Code).ToListAsync());

        // Act
        var (_, body) = await GetAsync(CollectionsWebFixture.Analyst, $"/collections/{Id}?region=E12000004");

        // Assert
        Rows(body).Select(r => r.Code).Order().ShouldBe(eastMidlands.Order());
        body.ShouldContain("<option value=\"E12000004\" selected");
    }

    [Fact]
    public async Task Dashboard_SortedByErrorsDescending_PutsMostErrorsFirstAndSaysSo()
    {
        // Act
        var (_, body) = await GetAsync(CollectionsWebFixture.Analyst, $"/collections/{Id}?sort=errors&dir=desc");

        // Assert
        Rows(body).Take(3).Select(r => r.Code).ShouldBe(["856", "840", "841"]);
        body.ShouldMatch("aria-sort=\"descending\">\\s*<a class=\"govuk-link\" href=\"/collections/\\d+\\?sort=errors#returns\">Errors");
        body.ShouldMatch("aria-sort=\"none\">\\s*<a class=\"govuk-link\" href=\"/collections/\\d+\\?sort=la#returns\">Local authority");
    }

    [Fact]
    public async Task Dashboard_SortedByLa_IsAlphabetical()
    {
        // Act
        var (_, body) = await GetAsync(CollectionsWebFixture.Analyst, $"/collections/{Id}?sort=la");

        // Assert
        var names = NamePattern().Matches(body).Select(m => m.Groups["name"].Value).ToList();
        names.Count.ShouldBe(153);
        names.ShouldBe(names.Order(StringComparer.InvariantCulture));
        body.ShouldContain("aria-sort=\"ascending\"");
    }

    [Fact]
    public async Task CsvExport_Analyst_HasTheFilteredRowsAndNeutralisesFormulas()
    {
        // Arrange
        var client = await app.ClientAsync(CollectionsWebFixture.Analyst);

        // Act
        var all = await client.GetAsync(new Uri($"/collections/{Id}/dashboard.csv", UriKind.Relative), Ct);
        var filtered = await client.GetAsync(new Uri($"/collections/{Id}/dashboard.csv?status=InProgress", UriKind.Relative), Ct);

        // Assert
        all.StatusCode.ShouldBe(HttpStatusCode.OK);
        all.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        all.Content.Headers.ContentDisposition!.FileNameStar.ShouldBe("fgc-annual-2025-26-chase-list.csv");
        var records = ReadCsv(await all.Content.ReadAsStringAsync(Ct));
        records[0].ShouldBe(DashboardExport.Headers);
        records.Count.ShouldBe(154);
        records.Single(r => r[0] == "805")[1].ShouldBe("'" + CollectionsWebFixture.FormulaName);
        var medway = records.Single(r => r[0] == TestData.Medway);
        medway.ShouldBe([TestData.Medway, "Medway", "South East", "Submitted", "2026-11-20 14:30", "0", "2", "0", "1", "2026-11-20 14:30", "Morgan Medway <lead.medway@fgc.example>"]);

        var inProgress = ReadCsv(await filtered.Content.ReadAsStringAsync(Ct));
        inProgress.Skip(1).Select(r => r[0]).ShouldBe(["840", "856"]);
    }

    [Fact]
    public async Task XlsxExport_Analyst_IsANamedTableWithFrozenHeaderAndNoFormulas()
    {
        // Arrange
        var client = await app.ClientAsync(CollectionsWebFixture.Analyst);

        // Act
        var response = await client.GetAsync(new Uri($"/collections/{Id}/dashboard.xlsx?sort=errors&dir=desc", UriKind.Relative), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(DashboardExport.XlsxContentType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var workbook = new XLWorkbook(stream);
        var sheet = workbook.Worksheet("Chase list");
        sheet.Tables.Table(DashboardExport.TableName).ShouldNotBeNull();
        sheet.SheetView.SplitRow.ShouldBe(1);
        sheet.MergedRanges.Count.ShouldBe(0);
        sheet.LastRowUsed().RowNumber().ShouldBe(154);
        sheet.Row(1).Cells(1, DashboardExport.Headers.Count).Select(c => c.GetString()).ShouldBe(DashboardExport.Headers);
        sheet.Column(2).Width.ShouldBe(36);
        sheet.Cell(2, 1).GetString().ShouldBe("856");
        sheet.Cell(2, 6).GetValue<int>().ShouldBe(5);
        var hartlepool = sheet.RowsUsed().Single(r => r.Cell(1).GetString() == "805");
        hartlepool.Cell(2).HasFormula.ShouldBeFalse();
        hartlepool.Cell(2).GetString().ShouldBe("'" + CollectionsWebFixture.FormulaName);
        var medway = sheet.RowsUsed().Single(r => r.Cell(1).GetString() == TestData.Medway);
        medway.Cell(10).GetDateTime().ShouldBe(new DateTime(2026, 11, 20, 14, 30, 0));
    }

    [Theory]
    [InlineData("/collections")]
    [InlineData("/collections/new")]
    [InlineData("/collections/{id}")]
    [InlineData("/collections/{id}?status=NotStarted")]
    [InlineData("/collections/{id}/dashboard.csv")]
    [InlineData("/collections/{id}/dashboard.xlsx")]
    public async Task EveryCollectionsPage_LaDataLead_IsForbidden(string url)
    {
        // Act
        var (status, body) = await GetAsync(CollectionsWebFixture.Lead, url.Replace("{id}", Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

        // Assert
        status.ShouldBe(HttpStatusCode.Forbidden);
        body.ShouldNotContain("Leicester");
    }

    [Fact]
    public async Task NewCollection_Analyst_IsForbiddenToSeeOrPost()
    {
        // Arrange
        var client = await app.ClientAsync(CollectionsWebFixture.Analyst);
        var token = SignInExtensions.AntiforgeryToken(await client.GetStringAsync(new Uri("/collections", UriKind.Relative), Ct));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "create",
            ["__RequestVerificationToken"] = token,
            ["Form.Definition"] = "fgc-annual/1.0",
            ["Form.Period"] = "2030-31",
            ["Form.OpensOn.Day"] = "1",
            ["Form.OpensOn.Month"] = "10",
            ["Form.OpensOn.Year"] = "2031",
            ["Form.Deadline.Day"] = "1",
            ["Form.Deadline.Month"] = "12",
            ["Form.Deadline.Year"] = "2031",
        });

        // Act
        var page = await client.GetAsync(new Uri("/collections/new", UriKind.Relative), Ct);
        var post = await client.PostAsync(new Uri("/collections/new", UriKind.Relative), form, Ct);

        // Assert
        page.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Factory.WithDbAsync(db => db.Collections.AnyAsync(c => c.Period == "2030-31"))).ShouldBeFalse();
    }

    [Fact]
    public async Task NewCollection_Administrator_DraftIsRefusedThenPublishedIsCreatedExtendedAndClosed()
    {
        // Arrange
        var client = await app.ClientAsync(CollectionsWebFixture.Administrator);
        var page = await client.GetStringAsync(new Uri("/collections/new", UriKind.Relative), Ct);
        page.ShouldContain("value=\"fgc-annual/1.0\"");
        page.ShouldNotContain("value=\"fgc-annual/1.1\"");

        // Act: a draft version, posted by hand, is refused with a clear message.
        var draft = await PostFormAsync(client, "/collections/new", "create", new()
        {
            ["Form.Definition"] = "fgc-annual/1.1",
            ["Form.Period"] = "2027-28",
            ["Form.OpensOn.Day"] = "1",
            ["Form.OpensOn.Month"] = "10",
            ["Form.OpensOn.Year"] = "2028",
            ["Form.Deadline.Day"] = "30",
            ["Form.Deadline.Month"] = "9",
            ["Form.Deadline.Year"] = "2028",
        });
        var created = await PostFormAsync(client, "/collections/new", "create", new()
        {
            ["Form.Definition"] = "fgc-annual/1.0",
            ["Form.Period"] = "2027-28",
            ["Form.OpensOn.Day"] = "1",
            ["Form.OpensOn.Month"] = "10",
            ["Form.OpensOn.Year"] = "2028",
            ["Form.Deadline.Day"] = "15",
            ["Form.Deadline.Month"] = "12",
            ["Form.Deadline.Year"] = "2028",
        });

        // Assert
        draft.StatusCode.ShouldBe(HttpStatusCode.OK);
        var draftBody = WebUtility.HtmlDecode(await draft.Content.ReadAsStringAsync(Ct));
        draftBody.ShouldContain("version 1.1 is a draft");
        draftBody.ShouldContain("The deadline must be after the opening date");
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = created.Headers.Location!.PathAndQuery;
        location.ShouldMatch("^/collections/\\d+\\?done=created$");
        var (status, body) = await GetAsync(CollectionsWebFixture.Administrator, location);
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("Collection created");
        Rows(body).Count.ShouldBe(153);
        body.ShouldContain("Manage this collection");

        // Act: extend the deadline, then close early.
        var path = location[..location.IndexOf('?', StringComparison.Ordinal)];
        var extended = await PostFormAsync(client, path, "extend", new()
        {
            ["Extend.NewDeadline.Day"] = "5",
            ["Extend.NewDeadline.Month"] = "1",
            ["Extend.NewDeadline.Year"] = "2029",
        });
        var closed = await PostFormAsync(client, path, "close", new() { ["Close.Confirm"] = "yes" });

        // Assert
        extended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        closed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var collection = await app.Factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Period == "2027-28"));
        collection.Deadline.ShouldBe(new DateOnly(2029, 1, 5));
        collection.Status.ShouldBe(CollectionStatus.Closed);
        var actions = await app.Factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ItemKey == "collection:" + collection.Id).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        actions.ShouldBe(["CollectionCreated", "DeadlineExtended", "CollectionClosed"]);
    }

    private async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(page);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    private static List<string[]> ReadCsv(string text)
    {
        using var reader = new StringReader(text);
        using var csv = new CsvParser(reader, CultureInfo.InvariantCulture);
        var records = new List<string[]>();
        while (csv.Read())
        {
            records.Add(csv.Record!);
        }

        return records;
    }

    [GeneratedRegex("<tr class=\"govuk-table__row\" data-la-code=\"(?<code>[^\"]+)\" data-status=\"(?<status>[^\"]+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<tr class=\"govuk-table__row\" data-status=\"(?<status>[^\"]+)\">.*?data-count=\"(?<count>\\d+)\"", RegexOptions.Singleline)]
    private static partial Regex CountPattern();

    [GeneratedRegex("<a class=\"govuk-link\" href=\"/review/\\d+\">(?<name>.*?)<span")]
    private static partial Regex NamePattern();
}
