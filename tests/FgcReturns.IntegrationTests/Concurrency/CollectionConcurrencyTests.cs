using System.Net;
using FgcReturns.Core;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Concurrency;

/// <summary>Two administrators on one collection: a change made on a page that is out of date is refused, never silently applied.</summary>
public sealed class CollectionConcurrencyTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string Second = "admin.two@fgc.example";
    private FgcWebFactory factory = null!;
    private int collectionId;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        collectionId = await factory.WithDbAsync(db => db.Collections.Where(c => c.Period == TestData.OpenPeriod).Select(c => c.Id).SingleAsync());
        await StalePage.CreateUserAsync(factory, Second, Roles.Administrator);
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task ExtendDeadline_FromAPageOpenedBeforeAnotherAdministratorExtendedIt_IsRefusedNamesThemAndKeepsTheDate()
    {
        // Arrange: A opens the collection; B extends the deadline by a month.
        var before = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId));
        using var first = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        using var second = await factory.CreateBrowserlessClient().SignedInAsync(Second);
        var page = await StalePage.OpenAsync(first, $"/collections/{collectionId}");
        var theirs = before.Deadline.AddMonths(1);
        var byThem = await (await StalePage.OpenAsync(second, $"/collections/{collectionId}")).PostAsync("extend", DateFields("Extend", theirs));
        byThem.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Act: A extends by two months from the page that still shows the old deadline.
        var mine = before.Deadline.AddMonths(2);
        var post = await page.PostAsync("extend", DateFields("Extend", mine));

        // Assert: refused, naming B and the change; A's date still typed in; B's deadline stands.
        post.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain($"Not changed: {Second} extended the deadline from {UkDate(before.Deadline)} to {UkDate(theirs)}");
        body.ShouldContain("after you opened this page");
        body.ShouldContain($"name=\"Extend.NewDeadline.Year\" type=\"text\" inputmode=\"numeric\" value=\"{mine.Year}\"");
        body.ShouldContain($"name=\"Extend.NewDeadline.Month\" type=\"text\" inputmode=\"numeric\" value=\"{mine.Month}\"");
        (await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId))).Deadline.ShouldBe(theirs);
    }

    [Fact]
    public async Task Close_FromAPageOpenedBeforeAnotherAdministratorExtendedTheDeadline_IsRefusedAndTheCollectionStaysOpen()
    {
        // Arrange
        var before = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId));
        using var first = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        var page = await StalePage.OpenAsync(first, $"/collections/{collectionId}");
        var admin2 = await factory.PrincipalAsync(Second);
        (await factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s => s.ExtendDeadlineAsync(admin2, collectionId, before.Deadline.AddDays(7)))).Succeeded.ShouldBeTrue();

        // Act
        var post = await page.PostAsync("close", new Dictionary<string, string>());

        // Assert
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain($"Not changed: {Second} extended the deadline");
        (await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId))).Status.ShouldBe(CollectionStatus.Open);
    }

    [Fact]
    public async Task ExtendDeadline_TwoAdministratorsAtTheSameMomentFromTheSamePage_OneIsSavedTheOtherToldNoException()
    {
        // Arrange: both start from the same row version.
        var before = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId));
        var admins = new[] { await factory.PrincipalAsync(TestData.Users.Administrator), await factory.PrincipalAsync(Second) };

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s =>
                s.ExtendDeadlineAsync(admins[i % 2], collectionId, before.Deadline.AddDays(i + 1), before.RowVersion))));

        // Assert: exactly one change stands, the others are told someone else changed it.
        outcomes.Count(o => o.Succeeded).ShouldBe(1);
        outcomes.Where(o => !o.Succeeded).ShouldAllBe(o => o.Status == OutcomeStatus.Conflict && o.Problems[0].Message.StartsWith("Not changed: ", StringComparison.Ordinal));
        var winner = Array.FindIndex(outcomes, o => o.Succeeded);
        (await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == collectionId))).Deadline.ShouldBe(before.Deadline.AddDays(winner + 1));
        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ItemKey == "collection:" + collectionId && a.Action == "DeadlineExtended"))).ShouldBe(1);
    }

    private static Dictionary<string, string> DateFields(string form, DateOnly date) => new()
    {
        [$"{form}.NewDeadline.Day"] = date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{form}.NewDeadline.Month"] = date.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{form}.NewDeadline.Year"] = date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string UkDate(DateOnly date) => date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
