using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CsvHelper;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Collections;

/// <summary>
/// The chase list after the deadline, on a fresh database: what an analyst chasing LAs needs on one screen — queries
/// still without an explanation, days overdue in UK days, and who to contact (or that there is nobody).
/// </summary>
public sealed partial class ChaseListTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;
    private int collectionId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Monday 21 December 2026, 10:00: three UK days after the 2025-26 deadline (Friday 18 December).
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), clock: new TestClock(new DateTimeOffset(2026, 12, 21, 10, 0, 0, TimeSpan.Zero)));
        collectionId = await factory.WithDbAsync(async db =>
        {
            var collection = await db.Collections.SingleAsync(c => c.Period == TestData.OpenPeriod);
            var returns = await db.Returns.Where(r => r.CollectionId == collection.Id).ToDictionaryAsync(r => r.LaCode, Ct);

            // Medway: three queries raised, one explained.
            returns[TestData.Medway].Status = ReturnStatus.InProgress;
            returns[TestData.Medway].QueryCount = 3;
            returns[TestData.Medway].QueryRuleIds = ["Q-AGE", "Q-COST", "Q-YOY"];
            returns[TestData.Medway].Explanations = new(StringComparer.Ordinal) { ["Q-COST"] = "Two large families this year.", ["Q-OLD"] = "No longer raised." };

            // Leicester submitted: not overdue, whatever its queries.
            returns["856"].Status = ReturnStatus.Submitted;
            returns["856"].SubmittedVersion = 1;
            returns["856"].SubmittedAt = new DateTimeOffset(2026, 12, 17, 15, 0, 0, TimeSpan.Zero);

            // Leicestershire's only data lead has left.
            (await db.Users.SingleAsync(u => u.Email == TestData.Users.LeicestershireLead, Ct)).IsActive = false;
            await db.SaveChangesAsync(Ct);
            return collection.Id;
        });
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private async Task<string> PageAsync(string url)
    {
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
    }

    private static string Row(string body, string laCode)
    {
        var match = Regex.Match(body, $"<tr class=\"govuk-table__row\" data-la-code=\"{laCode}\"[\\s\\S]*?</tr>");
        match.Success.ShouldBeTrue($"No chase-list row for {laCode}");
        return match.Value;
    }

    [Fact]
    public async Task Dashboard_AfterTheDeadline_ShowsUnexplainedQueriesDaysOverdueAndDataLeads()
    {
        // Act
        var body = await PageAsync($"/collections/{collectionId}");

        // Assert: Medway has two queries without an explanation and is three UK days overdue; its lead is named.
        body.ShouldContain("Queries without explanation");
        body.ShouldContain("Days overdue");
        var medway = Row(body, TestData.Medway);
        medway.ShouldContain("data-unexplained=\"2\"");
        medway.ShouldContain("data-overdue=\"3\"");
        medway.ShouldContain("Morgan Medway");
        medway.ShouldContain("href=\"mailto:lead.medway@fgc.example\"");

        // Leicester submitted before the deadline: not overdue.
        Row(body, "856").ShouldContain("data-overdue=\"0\"");
        Row(body, "856").ShouldContain("Lesley Leicester");

        // Leicestershire's lead is deactivated: flagged, and nobody's address is shown.
        var leicestershire = Row(body, "855");
        leicestershire.ShouldContain("No active data lead");
        leicestershire.ShouldNotContain(TestData.Users.LeicestershireLead);
        leicestershire.ShouldContain("data-overdue=\"3\"");
        body.ShouldContain("151 local authorities have no active data lead, so nobody there receives reminders.");
        body.ShouldContain("11:59pm on Friday 18 December 2026 (UK time)");
    }

    [Fact]
    public async Task Dashboard_SortedByDaysOverdueAndUnexplainedQueries_OrdersByThem()
    {
        // Act
        var byQueries = await PageAsync($"/collections/{collectionId}?sort=queries&dir=desc");
        var byOverdue = await PageAsync($"/collections/{collectionId}?sort=overdue");

        // Assert
        CodePattern().Match(byQueries).Groups["code"].Value.ShouldBe(TestData.Medway);
        CodePattern().Match(byOverdue).Groups["code"].Value.ShouldBe("856");
    }

    [Fact]
    public async Task CsvExport_AfterTheDeadline_HasTheSameChaseColumns()
    {
        // Arrange
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var csv = await client.GetStringAsync(new Uri($"/collections/{collectionId}/dashboard.csv", UriKind.Relative), Ct);

        // Assert
        using var reader = new CsvReader(new StringReader(csv), CultureInfo.InvariantCulture);
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(Enumerable.Range(0, reader.Parser.Count).Select(i => reader.GetField(i) ?? "").ToArray());
        }

        records[0].ShouldBe(DashboardExport.Headers);
        records.Single(r => r[0] == TestData.Medway).ShouldBe([TestData.Medway, "Medway", "South East", "In progress", "", "0", "2", "3", "", "", "Morgan Medway <lead.medway@fgc.example>"]);
        records.Single(r => r[0] == "855")[10].ShouldBe("No active data lead");
    }

    [Fact]
    public async Task Dashboard_CollectionClosedEarly_NobodyIsOverdue()
    {
        // Arrange: closed by an administrator on 10 December, before its deadline.
        await factory.WithDbAsync(async db =>
        {
            var collection = await db.Collections.SingleAsync(c => c.Id == collectionId, Ct);
            collection.Status = CollectionStatus.Closed;
            collection.ClosedAt = new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero);
            return await db.SaveChangesAsync(Ct);
        });

        // Act
        var body = await PageAsync($"/collections/{collectionId}");

        // Assert
        Row(body, TestData.Medway).ShouldContain("data-overdue=\"0\"");
        body.ShouldContain("Closed early on 10 December 2026 at 12:00pm");
    }

    [GeneratedRegex("<tr class=\"govuk-table__row\" data-la-code=\"(?<code>\\d+)\"")]
    private static partial Regex CodePattern();
}
