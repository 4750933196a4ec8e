using System.Net;
using System.Text.RegularExpressions;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Collections;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Collections;

/// <summary>The analyst sets the day a year's benchmarks are published, on the collection's page, as a person would.</summary>
public sealed partial class CollectionPagesTests
{
    [Fact]
    public async Task PublicationDate_AnalystSetsItWrongThenRightThenRemovesIt_EachAnswerIsSpecificAndTheDateIsKept()
    {
        // Arrange: the closed 2024-25 collection (its reporting year ended on 31 March 2025), no date set.
        var collection = await app.Factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Period == TestData.PreviousPeriod));
        var path = $"/collections/{collection.Id}";
        var client = await app.ClientAsync(CollectionsWebFixture.Analyst);
        var auditedBefore = await app.Factory.WithDbAsync(db => db.AuditEvents.MaxAsync(a => (long?)a.Id)) ?? 0;
        var (_, before) = await GetAsync(CollectionsWebFixture.Analyst, path);
        before.ShouldContain("No publication date set. Benchmark downloads say the figures are not yet published.");
        before.ShouldContain("When are this year's benchmarks published?");

        // Act: not a real date; then a date inside the reporting year.
        var notReal = await PostFormAsync(client, path, "publish", Date("31", "2", "2026"));
        var tooEarly = await PostFormAsync(client, path, "publish", Date("1", "3", "2025"));

        // Assert: each says what is wrong, its summary link lands on the day box, and nothing is stored.
        var notRealBody = WebUtility.HtmlDecode(await notReal.Content.ReadAsStringAsync(Ct));
        notRealBody.ShouldContain("<title>Error: ");
        notRealBody.ShouldContain("<a href=\"#publication-date-day\">The publication date must be a real date</a>");
        notRealBody.ShouldContain("id=\"publication-date-day\"");
        notRealBody.ShouldContain("value=\"31\""); // what was typed is kept
        var tooEarlyBody = WebUtility.HtmlDecode(await tooEarly.Content.ReadAsStringAsync(Ct));
        tooEarlyBody.ShouldContain("<a href=\"#publication-date-day\">The publication date must be after the reporting year ends, Monday 31 March 2025</a>");
        (await StoredAsync(collection.Id)).ShouldBeNull();

        // Act: a good date.
        var set = await PostFormAsync(client, path, "publish", Date("26", "3", "2026"));

        // Assert: saved, said, shown after a reload, audited.
        set.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        set.Headers.Location!.PathAndQuery.ShouldBe($"{path}?done=published");
        var (_, after) = await GetAsync(CollectionsWebFixture.Analyst, path + "?done=published");
        after.ShouldContain("Publication date set.");
        PublicationValue(after).ShouldBe("Thursday 26 March 2026");
        (await StoredAsync(collection.Id)).ShouldBe(new DateOnly(2026, 3, 26));
        var audit = await app.Factory.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.Id > auditedBefore && a.ItemKey == "collection:" + collection.Id && a.Action == AuditActions.PublicationDateSet).ToListAsync());
        audit.ShouldHaveSingleItem().NewValue.ShouldBe("2026-03-26");

        // Act: remove it.
        var removed = await PostFormAsync(client, path, "unpublish", new() { ["Unpublish.Confirm"] = "yes" });

        // Assert
        removed.Headers.Location!.PathAndQuery.ShouldBe($"{path}?done=unpublished");
        (await StoredAsync(collection.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task PublicationDate_TwoAnalystsFromTheSamePage_TheSecondIsRefusedAndToldWhoChangedIt()
    {
        // Arrange: both open the page showing the same row version.
        var collection = await app.Factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Period == TestData.PreviousPeriod));
        var path = $"/collections/{collection.Id}";
        var client = await app.ClientAsync(CollectionsWebFixture.Analyst);
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct);
        var seen = Regex.Match(page, "name=\"Publish.RowVersion\" value=\"(?<v>\\d+)\"").Groups["v"].Value;
        var first = await PostFormAsync(await app.ClientAsync(CollectionsWebFixture.Administrator), path, "publish", Date("2", "4", "2026", seen));

        // Act: the second sends the version they saw, now stale.
        var second = await PostFormAsync(client, path, "publish", Date("9", "4", "2026", seen));

        // Assert: the first date stays; the second person is told who set what.
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var body = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync(Ct));
        body.ShouldContain($"Not changed: {CollectionsWebFixture.Administrator} set the publication date to 2 April 2026");
        (await StoredAsync(collection.Id)).ShouldBe(new DateOnly(2026, 4, 2));
        await app.Factory.WithDbAsync(db => db.Collections.Where(c => c.Id == collection.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.PublicationDate, (DateOnly?)null)));
    }

    private static Dictionary<string, string> Date(string day, string month, string year, string? rowVersion = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Publish.Date.Day"] = day,
            ["Publish.Date.Month"] = month,
            ["Publish.Date.Year"] = year,
        };
        if (rowVersion is not null)
        {
            fields["Publish.RowVersion"] = rowVersion;
        }

        return fields;
    }

    private Task<DateOnly?> StoredAsync(int collectionId) =>
        app.Factory.WithDbAsync(db => db.Collections.AsNoTracking().Where(c => c.Id == collectionId).Select(c => c.PublicationDate).SingleAsync());

    private static string PublicationValue(string body) =>
        Regex.Match(body, "id=\"publication-date-value\">(?<v>[^<]*)<").Groups["v"].Value;
}
