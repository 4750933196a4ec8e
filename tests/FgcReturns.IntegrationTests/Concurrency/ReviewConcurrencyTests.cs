using System.Net;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.IntegrationTests.Review;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Concurrency;

/// <summary>Two analysts on one return: a decision or note made on a page that is out of date is refused, never silently applied.</summary>
public sealed class ReviewConcurrencyTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string Other = TestData.Users.Administrator;
    private ReviewHost host = null!;

    public async ValueTask InitializeAsync() => host = await ReviewHost.StartAsync(database);

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Reopen_FromAPageOpenedBeforeAnotherAnalystReopenedAndAcceptedANewVersion_IsRefusedNamesThemAndKeepsTheReason()
    {
        // Arrange: version 1 accepted; analyst A opens the review page to reopen it.
        var ret = await host.SubmitValidReturnAsync();
        (await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id), Other)).Succeeded.ShouldBeTrue();
        using var analyst = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        var page = await StalePage.OpenAsync(analyst, $"/review/{ret.Id}");

        // Meanwhile the other analyst reopens it, the LA submits version 2 and the other analyst accepts that.
        (await host.AsAnalystAsync((s, a) => s.ReopenAsync(a, ret.Id, "Typo in the ages"), Other)).Succeeded.ShouldBeTrue();
        var lead = await host.Factory.PrincipalAsync(TestData.Users.MedwayLead);
        (await host.Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"))).Succeeded.ShouldBeTrue();
        (await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id, 2), Other)).Succeeded.ShouldBeTrue();

        // Act: A reopens from the page showing version 1.
        var post = await page.PostAsync("review-action", new Dictionary<string, string>
        {
            ["Form.Decision"] = "reopen",
            ["Form.Comment"] = "Benchmarks show a typo in section 2",
        });

        // Assert: refused, saying who did what; A's reason is still on the page; version 2 stays accepted.
        post.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain("Not saved: ");
        body.ShouldContain($"{Other} accepted the return");
        body.ShouldContain("after you opened this page");
        body.ShouldContain(">Benchmarks show a typo in section 2</textarea>");
        var after = await host.Factory.OpenReturnAsync(TestData.Medway);
        after.Status.ShouldBe(ReturnStatus.Accepted);
        after.SubmittedVersion.ShouldBe(2);
        after.AnalystComment.ShouldBeNull();
        (await host.Factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == ret.Id && a.Action == "ReopenedByAnalyst"))).ShouldBe(1);
    }

    [Fact]
    public async Task SendBack_AfterAnotherAnalystAcceptedFromTheSameVersion_IsRefusedNamesThemAndKeepsTheComment()
    {
        // Arrange: both analysts open version 1; the other accepts it first.
        var ret = await host.SubmitValidReturnAsync();
        using var analyst = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        var page = await StalePage.OpenAsync(analyst, $"/review/{ret.Id}");
        (await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id, 1), Other)).Succeeded.ShouldBeTrue();

        // Act
        var post = await page.PostAsync("review-action", new Dictionary<string, string>
        {
            ["Form.Decision"] = "send-back",
            ["Form.Comment"] = "Please recheck the age breakdown",
        });

        // Assert
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain($"Not saved: {Other} accepted the return");
        body.ShouldContain(">Please recheck the age breakdown</textarea>");
        (await host.Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Accepted);
    }

    [Fact]
    public async Task AddNote_OnAQuestionAnotherAnalystNotedAfterThePageOpened_IsRefusedShowsTheirNoteKeepsTheTextAndAddsItWhenSentAgain()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        using var analyst = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        var page = await StalePage.OpenAsync(analyst, $"/review/{ret.Id}");
        (await host.AsAnalystAsync((s, a) => s.AddNoteAsync(a, ret.Id, "fgcs_held", "Check this against the tracker"), Other)).Succeeded.ShouldBeTrue();

        // Act
        var stale = await page.PostAsync("note", new Dictionary<string, string> { ["Note.ItemKey"] = "fgcs_held", ["Note.Text"] = "A 20% rise: is that right?" });
        var fresh = await (await StalePage.OpenAsync(analyst, $"/review/{ret.Id}")).PostAsync("note", new Dictionary<string, string> { ["Note.ItemKey"] = "fgcs_held", ["Note.Text"] = "A 20% rise: is that right?" });

        // Assert: the first try is refused with the other note shown and the typed note kept; sent again, both notes exist.
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await StalePage.BodyAsync(stale);
        body.ShouldContain($"Your note was not added: {Other} added a note on this question after you opened this page: “Check this against the tracker”");
        body.ShouldContain(">A 20% rise: is that right?</textarea>");
        fresh.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var notes = await host.Factory.WithDbAsync(db => db.ReturnItemNotes.Where(n => n.ReturnId == ret.Id).OrderBy(n => n.Id).Select(n => n.Text).ToListAsync());
        notes.ShouldBe(["Check this against the tracker", "A 20% rise: is that right?"]);
    }
}
