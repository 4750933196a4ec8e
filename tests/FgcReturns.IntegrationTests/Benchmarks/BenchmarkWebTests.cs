using System.Net;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using FgcReturns.Web.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>
/// The web host with the benchmark services and download endpoints added the way AddCore and UseWeb will add them
/// (here through a startup filter, until those registrations are made), on a database with a built benchmark.
/// </summary>
public sealed class BenchmarkWebFixture(DatabaseServerFixture database) : IAsyncLifetime
{
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    private FgcWebFactory? inner;

    public async ValueTask InitializeAsync()
    {
        await using (var host = await BenchmarkTestHost.StartAsync(database.Server))
        {
            var collection = await host.AddCollectionAsync(2024, "1.0");
            await host.AddReturnsAsync(collection,
            [
                (TestData.Medway, ReturnStatus.Accepted, new Dictionary<string, string?> { ["families_offered"] = "50", ["families_accepted"] = "3", ["referrals_children"] = "120", ["children_in_fgcs"] = "70" }),
                ("855", ReturnStatus.Accepted, new Dictionary<string, string?> { ["families_offered"] = "40", ["families_accepted"] = "20", ["referrals_children"] = "200", ["children_in_fgcs"] = "90" }),
                ("856", ReturnStatus.Submitted, new Dictionary<string, string?> { ["families_offered"] = "10", ["families_accepted"] = "9" }),
            ]);
            (await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand)).Outcome.ShouldBe(BuildOutcome.Succeeded);
            ConnectionString = host.ConnectionString;
        }

        inner = new FgcWebFactory(ConnectionString);
        Factory = inner.WithWebHostBuilder(b => b.ConfigureServices(services => services.AddTransient<IStartupFilter, MapDownloads>()));
        _ = Factory.Services;
    }

    public string ConnectionString { get; private set; } = "";

    private readonly Dictionary<string, HttpClient> clients = [];

    /// <summary>One signed-in client per user for the class: sign-in is rate limited (10 a minute per address).</summary>
    public async Task<HttpClient> ClientFor(string email)
    {
        if (!clients.TryGetValue(email, out var client))
        {
            client = await Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }).SignedInAsync(email);
            clients[email] = client;
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (inner is not null)
        {
            await inner.DisposeAsync();
        }
    }

    private sealed class MapDownloads : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);

            // Once UseWeb maps the downloads itself, this filter does nothing.
            var mapped = app.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints
                .OfType<RouteEndpoint>().Any(e => e.RoutePattern.RawText?.StartsWith(BenchmarkDownloads.Prefix, StringComparison.Ordinal) == true);
            if (mapped)
            {
                return;
            }

            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseAntiforgery();
            app.UseEndpoints(e => e.MapBenchmarkDownloads());
        };
    }
}

public sealed class BenchmarkWebTests(BenchmarkWebFixture app) : IClassFixture<BenchmarkWebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    [Fact]
    public async Task NationalWorkbook_Analyst_Downloads()
    {
        var client = await app.ClientFor(TestData.Users.Analyst);

        var response = await client.GetAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/national.xlsx?view=unsuppressed", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (response.Content.Headers.ContentDisposition!.FileNameStar ?? "").ShouldContain("OFFICIAL-SENSITIVE");
    }

    [Theory]
    [InlineData("national.xlsx")]
    [InlineData("open-data.csv")]
    [InlineData("open-data.meta.csv")]
    public async Task AnalystDownloads_LaDataLead_IsForbidden(string file)
    {
        var client = await app.ClientFor(TestData.Users.MedwayLead);

        var response = await client.GetAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/{file}", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task OpenData_Analyst_IsSuppressed()
    {
        var client = await app.ClientFor(TestData.Users.Analyst);

        var csv = await client.GetStringAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/open-data.csv", UriKind.Relative), Ct);

        csv.ShouldStartWith("time_period,time_identifier,geographic_level,");
        csv.Split('\n').Single(l => l.Contains(",887,", StringComparison.Ordinal) && l.Contains(",Total,Total,", StringComparison.Ordinal)).ShouldContain(",c,");
        csv.Split('\n').Where(l => l.Contains(",856,", StringComparison.Ordinal)).ShouldNotBeEmpty();
        csv.Split('\n').Where(l => l.Contains(",856,", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains(",9,")); // submitted, not accepted
    }

    [Fact]
    public async Task LaWorkbook_OwnLa_DownloadsAndAnotherLa_IsNotFound()
    {
        var client = await app.ClientFor(TestData.Users.MedwayLead);

        var own = await client.GetAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/la/887.xlsx", UriKind.Relative), Ct);
        var other = await client.GetAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/la/855.xlsx", UriKind.Relative), Ct);

        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ComparePage_LaDataLead_SeesOwnLaWithSuppressedNeighbours()
    {
        var client = await app.ClientFor(TestData.Users.MedwayLead);

        var response = await client.GetAsync(new Uri("/compare", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Compare Medway, 2024-25");
        html.ShouldContain("Families who agreed to an FGC");
        html.ShouldContain("(this LA)");
        html.ShouldContain("<svg class=\"fgc-chart\" role=\"img\"");
        html.ShouldContain("6.0"); // Medway's own acceptance rate (3 of 50), its own figure in full
    }

    [Fact]
    public async Task ComparePage_AnotherLa_IsNotFoundForAnLaUserAndShownToAnAnalyst()
    {
        var lead = await app.ClientFor(TestData.Users.MedwayLead);
        var analyst = await app.ClientFor(TestData.Users.Analyst);

        var forLead = await lead.GetAsync(new Uri("/compare/855", UriKind.Relative), Ct);
        var forAnalyst = await analyst.GetAsync(new Uri("/compare/855", UriKind.Relative), Ct);

        forLead.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        forAnalyst.StatusCode.ShouldBe(HttpStatusCode.OK);
        var compare = await forAnalyst.Content.ReadAsStringAsync(Ct);
        compare.ShouldContain("Compare Leicestershire, 2024-25");
        compare.ShouldContain("Not yet published: these figures are management information and may change before they are published.");
    }

    [Fact]
    public async Task BenchmarksPage_Analyst_ListsBuildsAndLaUserIsForbidden()
    {
        var analyst = await app.ClientFor(TestData.Users.Analyst);
        var lead = await app.ClientFor(TestData.Users.MedwayLead);

        var page = await analyst.GetAsync(new Uri("/benchmarks", UriKind.Relative), Ct);
        var forbidden = await lead.GetAsync(new Uri("/benchmarks", UriKind.Relative), Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Recent builds");
        html.ShouldContain("Succeeded");
        html.ShouldContain("view=unsuppressed");
        html.ShouldContain("No publication date set: the downloads say the figures are not yet published.");
        html.ShouldContain("#publication\">Set the publication date");
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BenchmarksPage_Analyst_NamesTheSurveyByItsTitleAndDatesBuildsTheGovUkWay()
    {
        var analyst = await app.ClientFor(TestData.Users.Analyst);

        var html = await (await analyst.GetAsync(new Uri("/benchmarks", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct);

        html.ShouldContain("<h2 class=\"govuk-heading-m\">Family group conferences annual return</h2>");
        html.ShouldNotContain(">fgc-annual<");
        html.ShouldNotContain("fgc-annual, final");
        System.Text.RegularExpressions.Regex.IsMatch(html, @">\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} at \d{1,2}:\d{2}(am|pm)<")
            .ShouldBeTrue("a build's start shown like 2 December 2026 at 3:29pm");
        html.ShouldContain("2024-25 (provisional, based on 2 of 153 LAs)");
    }

    [Fact]
    public async Task OpenData_YearBelowCoverage_FileNameSaysYearAndProvisionalAndEnglandIsNotShown()
    {
        var client = await app.ClientFor(TestData.Users.Analyst);

        var response = await client.GetAsync(new Uri($"{BenchmarkDownloads.Prefix}/fgc-annual/open-data.csv", UriKind.Relative), Ct);
        var csv = await response.Content.ReadAsStringAsync(Ct);

        (response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName ?? "")
            .ShouldContain("fgc_annual_202425_provisional");
        using var reader = new CsvHelper.CsvParser(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var england = new List<string[]>();
        while (reader.Read())
        {
            if (reader.Record![2] == "National")
            {
                england.Add(reader.Record);
            }
        }

        england.ShouldNotBeEmpty();
        england.SelectMany(r => r.Skip(12)).ShouldAllBe(f => f == "x" || f == "z"); // two LAs are not "England"
    }

    [Fact]
    public async Task ComparePage_YearBelowCoverage_IsLabelledProvisionalWithTheNumberOfLas()
    {
        var client = await app.ClientFor(TestData.Users.MedwayLead);

        var html = await (await client.GetAsync(new Uri("/compare", UriKind.Relative), Ct)).Content.ReadAsStringAsync(Ct);

        html.ShouldContain("provisional, based on 2 of 153 LAs");
    }
}
