using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using ClosedXML.Excel;
using FgcReturns.Core.Exports;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Definitions;

public sealed class DefinitionPagesTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private const string Analyst = TestData.Users.Analyst;

    private SurveyDefinitionCatalog Catalog => app.Factory.Services.GetRequiredService<SurveyDefinitionCatalog>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Sign-in is rate limited (10 a minute per address): sign each user in once per web host.
    private static readonly ConditionalWeakTable<FgcWebFactory, ConcurrentDictionary<string, Lazy<Task<HttpClient>>>> Clients = [];

    private Task<HttpClient> ClientAsync(string email) =>
        Clients.GetOrCreateValue(app.Factory)
            .GetOrAdd(email, e => new Lazy<Task<HttpClient>>(() => app.Factory.CreateBrowserlessClient().SignedInAsync(e)))
            .Value;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string email, string url)
    {
        var client = await ClientAsync(email);
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task Index_Analyst_ListsVersionsWithStatusAndLinks()
    {
        // Act
        var (status, body) = await GetAsync(Analyst, "/definitions");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("Published");
        body.ShouldContain("Draft");
        body.ShouldContain("href=\"/definitions/fgc-annual/1.0\"");
        body.ShouldContain("href=\"/definitions/fgc-annual/1.1/specification.xlsx\"");
        body.ShouldContain("href=\"/definitions/fgc-annual/compare?from=1.0&to=1.1\"");
        body.ShouldContain(Catalog.Get("fgc-annual", "1.0")!.ContentHash[..12]);
    }

    [Fact]
    public async Task SpecificationDownload_Analyst_GetsWorkbookListingEveryItem()
    {
        // Arrange
        var definition = Catalog.Get("fgc-annual", "1.0")!;
        var client = await ClientAsync(Analyst);

        // Act
        var response = await client.GetAsync(new Uri("/definitions/fgc-annual/1.0/specification.xlsx", UriKind.Relative), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe("fgc-annual-1.0-data-specification.xlsx");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var workbook = new XLWorkbook(stream);
        workbook.Worksheets.Select(w => w.Name).ShouldBe(DataSpecificationWorkbook.SheetNames(definition));
        var items = workbook.Worksheet(DataSpecificationWorkbook.ItemsSheet);
        var keyCell = items.CellsUsed().First(c => c.GetString() == "Key");
        var keys = items.Column(keyCell.Address.ColumnNumber).CellsUsed()
            .Where(c => c.Address.RowNumber > keyCell.Address.RowNumber)
            .Select(c => c.GetString())
            .ToHashSet(StringComparer.Ordinal);
        definition.Questions.Select(q => q.Key).Where(k => !keys.Contains(k)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SpecificationDownload_UnknownVersion_IsNotFound()
    {
        // Arrange
        var client = await ClientAsync(Analyst);

        // Act
        var response = await client.GetAsync(new Uri("/definitions/fgc-annual/9.9/specification.xlsx", UriKind.Relative), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    public async Task Preview_Analyst_RendersEverySectionReadOnly(string version)
    {
        // Arrange
        var definition = Catalog.Get("fgc-annual", version)!;

        // Act
        var (status, body) = await GetAsync(Analyst, "/definitions/fgc-annual/" + version);

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        foreach (var section in definition.Sections)
        {
            body.ShouldContain(section.Title);
            body.ShouldContain($"id=\"section-{section.Key}\"");
        }

        foreach (var question in definition.Questions)
        {
            body.ShouldContain($"id=\"question-{question.Key}\"");
        }

        body.ShouldContain("Validation rules");
        body.ShouldContain("E01");
        body.ShouldContain("acceptance_rate");
    }

    [Fact]
    public async Task Preview_UnknownVersion_IsNotFound()
    {
        // Act
        var (status, _) = await GetAsync(Analyst, "/definitions/fgc-annual/7.0");

        // Assert
        status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Compare_10To11_ListsRenamedAndAddedItems()
    {
        // Act
        var (status, body) = await GetAsync(Analyst, "/definitions/fgc-annual/compare?from=1.0&to=1.1");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        List(body, "items-renamed").ShouldContain("<code>fgcs_held</code> renamed to <code>initial_fgcs_held</code>");
        List(body, "items-added").ShouldContain("<code>referrals_not_viable</code>");
        List(body, "items-changed").ShouldContain("<code>plans_agreed</code>");
        List(body, "items-changed").ShouldContain("Relabelled from");
        body.ShouldContain("Family group decision-making before care proceedings");
    }

    [Fact]
    public async Task Compare_VersionsGivenNewestFirst_StillComparesOlderToNewer()
    {
        // Act
        var (status, body) = await GetAsync(Analyst, "/definitions/fgc-annual/compare?from=1.1&to=1.0");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        List(body, "items-renamed").ShouldContain("<code>fgcs_held</code> renamed to <code>initial_fgcs_held</code>");
    }

    [Theory]
    [InlineData("/definitions")]
    [InlineData("/definitions/fgc-annual/1.0")]
    [InlineData("/definitions/fgc-annual/1.1")]
    [InlineData("/definitions/fgc-annual/compare?from=1.0&to=1.1")]
    [InlineData("/definitions/fgc-annual/1.0/specification.xlsx")]
    public async Task AnyDefinitionPage_LaDataLead_IsForbidden(string url)
    {
        // Act
        var (status, _) = await GetAsync(TestData.Users.MedwayLead, url);

        // Assert
        status.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static string List(string body, string id)
    {
        var start = body.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"no list #{id} on the page");
        var end = body.IndexOf("</ul>", start, StringComparison.Ordinal);
        return body[start..end];
    }
}
