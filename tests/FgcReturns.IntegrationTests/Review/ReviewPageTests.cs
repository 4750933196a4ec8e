using System.Net;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Review;

/// <summary>The review pages through HTTP, as an analyst's browser uses them.</summary>
public sealed class ReviewPageTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private ReviewHost host = null!;

    public async ValueTask InitializeAsync() => host = await ReviewHost.StartAsync(database);

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task ReviewPage_Submitted_ShowsValuesPreviousYearChangeAndSubmission()
    {
        // Arrange: last year Medway held 30 FGCs (PreviousFgc10); this year 36 (ValidFgc10).
        var ret = await host.SubmitValidReturnAsync();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var response = await client.GetAsync(new Uri($"/review/{ret.Id}", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ReviewHost.BodyAsync(response);
        body.ShouldContain("Review Medway's return");
        body.ShouldContain(TestData.PreviousPeriod);
        body.ShouldContain("FGC-202526-887-1");
        body.ShouldContain("Sam Head, Head of Service");
        body.ShouldContain("What do you want to do with version 1?");
        var rowStart = body.IndexOf("id=\"item-fgcs_held\"", StringComparison.Ordinal);
        rowStart.ShouldBeGreaterThan(0);
        var row = System.Text.RegularExpressions.Regex.Replace(body[rowStart..body.IndexOf("</tr>", rowStart, StringComparison.Ordinal)], @">\s+|\s+<", m => m.Value.Trim());
        row.ShouldContain("<td class=\"govuk-table__cell\">36 families</td><td class=\"govuk-table__cell\">30 families</td><td class=\"govuk-table__cell\">+6 (+20%)</td>", customMessage: row);
    }

    [Fact]
    public async Task ReviewPage_LargeChange_IsHighlightedAndTheEvidenceComesBeforeTheDecision()
    {
        // Arrange: last year 10 FGCs held, this year 36 (+260%).
        var ret = await host.SubmitValidReturnAsync();
        await host.Factory.SetPreviousYearAsync(TestData.Medway, Core.Tests.Builders.ReturnValuesBuilder.PreviousFgc10().With("fgcs_held", "10").Build());
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var body = await ReviewHost.BodyAsync(await client.GetAsync(new Uri($"/review/{ret.Id}", UriKind.Relative), TestContext.Current.CancellationToken));

        // Assert: a back link to the chase list; errors, queries and answers before the decision; the big change flagged, small ones not.
        body.ShouldContain($"href=\"/collections/{ret.CollectionId}\"");
        body.IndexOf("id=\"validation\"", StringComparison.Ordinal).ShouldBeLessThan(body.IndexOf("id=\"decision\"", StringComparison.Ordinal));
        body.IndexOf("id=\"section-outcomes\"", StringComparison.Ordinal).ShouldBeLessThan(body.IndexOf("id=\"decision\"", StringComparison.Ordinal));
        var row = body[body.IndexOf("id=\"item-fgcs_held\"", StringComparison.Ordinal)..];
        row[..row.IndexOf("</tr>", StringComparison.Ordinal)].ShouldContain("Large change");
        var calm = body[body.IndexOf("id=\"item-families_offered\"", StringComparison.Ordinal)..];
        calm[..calm.IndexOf("</tr>", StringComparison.Ordinal)].ShouldNotContain("Large change");
    }

    [Fact]
    public async Task ReviewPage_AcceptForm_AcceptsAndShowsSuccess()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var post = await ReviewHost.PostFormAsync(client, $"/review/{ret.Id}", "review-action", new Dictionary<string, string>
        {
            ["Form.Decision"] = "accept",
            ["Form.Version"] = "1",
        });
        var after = await client.GetAsync(post.Headers.Location!, TestContext.Current.CancellationToken);

        // Assert
        post.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ReviewHost.BodyAsync(after)).ShouldContain("The return has been accepted");
        (await host.Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Accepted);
    }

    [Fact]
    public async Task ReviewPage_SendBackWithoutComment_ShowsErrorAndChangesNothing()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var post = await ReviewHost.PostFormAsync(client, $"/review/{ret.Id}", "review-action", new Dictionary<string, string>
        {
            ["Form.Decision"] = "send-back",
            ["Form.Comment"] = "",
            ["Form.Version"] = "1",
        });

        // Assert
        var body = await ReviewHost.BodyAsync(post);
        body.ShouldContain("There is a problem");
        body.ShouldContain("Enter a comment telling the local authority what to change");
        (await host.Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Submitted);
    }

    [Fact]
    public async Task ReviewPage_NoteWithNoQuestionAndTooLongText_ShowsBothProblemsEachLinkedToItsField()
    {
        // Arrange: the old page guessed one field from the first word of one message, so it showed only the first problem.
        var ret = await host.SubmitValidReturnAsync();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var post = await ReviewHost.PostFormAsync(client, $"/review/{ret.Id}", "note", new Dictionary<string, string>
        {
            ["Note.ItemKey"] = "",
            ["Note.Text"] = new string('x', ReturnReviewService.MaxCommentLength + 1),
        });

        // Assert: both in the summary, each linking to its own field, and each shown at its field.
        var body = await ReviewHost.BodyAsync(post);
        body.ShouldContain("<a href=\"#note-item\">Select the question the note is about</a>");
        body.ShouldContain("<a href=\"#note-text\">The text must be 2,000 characters or fewer</a>");
        body.ShouldContain("id=\"note-item-error\"");
        body.ShouldContain("id=\"note-text-error\"");
        (await host.Factory.WithDbAsync(db => db.ReturnItemNotes.CountAsync(n => n.ReturnId == ret.Id, TestContext.Current.CancellationToken))).ShouldBe(0);
    }

    [Fact]
    public async Task ReviewPage_EmptyNote_ShowsBothProblems()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var post = await ReviewHost.PostFormAsync(client, $"/review/{ret.Id}", "note", new Dictionary<string, string>
        {
            ["Note.ItemKey"] = "",
            ["Note.Text"] = "",
        });

        // Assert
        var body = await ReviewHost.BodyAsync(post);
        body.ShouldContain("<a href=\"#note-item\">Select the question the note is about</a>");
        body.ShouldContain("<a href=\"#note-text\">Enter the note</a>");
    }

    [Fact]
    public async Task ReviewPage_AcceptPostedForADraft_IsRefusedWithClearMessage()
    {
        // Arrange: the page is loaded while Medway's return is still a draft.
        var ret = await host.Factory.OpenReturnAsync(TestData.Medway);
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var post = await ReviewHost.PostFormAsync(client, $"/review/{ret.Id}", "review-action", new Dictionary<string, string>
        {
            ["Form.Decision"] = "accept",
        });

        // Assert
        var body = await ReviewHost.BodyAsync(post);
        body.ShouldContain("Only a submitted return can be accepted. This return has not been started.");
        (await host.Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.NotStarted);
    }

    [Fact]
    public async Task HistoryPage_ShowsAnalystActions()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        (await host.AsAnalystAsync((s, a) => s.SendBackAsync(a, ret.Id, "Please recheck the age breakdown"))).Succeeded.ShouldBeTrue();
        using var client = await host.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var response = await client.GetAsync(new Uri($"/review/{ret.Id}/history", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ReviewHost.BodyAsync(response);
        body.ShouldContain("Returned the return for amendment");
        body.ShouldContain("Please recheck the age breakdown");
        body.ShouldContain("Submitted the return");
    }
}
