using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Review;

/// <summary>The review state machine: accept, return for amendment, reopen; each only from the right state.</summary>
public sealed class ReturnReviewServiceTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private ReviewHost host = null!;

    public async ValueTask InitializeAsync() => host = await ReviewHost.StartAsync(database);

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    private FgcWebFactory Factory => host.Factory;

    [Fact]
    public async Task Accept_ReturnInProgress_IsRefusedWithClearMessage()
    {
        // Arrange: Medway has started but not submitted.
        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await Factory.OpenReturnAsync(TestData.Medway);
        await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("5"))], ChangeSource.Form));

        // Act
        var accept = await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id));
        var sendBack = await host.AsAnalystAsync((s, a) => s.SendBackAsync(a, ret.Id, "Please check"));
        var reopen = await host.AsAnalystAsync((s, a) => s.ReopenAsync(a, ret.Id, "Please check"));

        // Assert
        accept.Status.ShouldBe(OutcomeStatus.Refused);
        accept.Message.ShouldBe("Only a submitted return can be accepted. This return is in progress.");
        sendBack.Message.ShouldBe("Only a submitted return can be returned for amendment. This return is in progress.");
        reopen.Message.ShouldBe("Only an accepted return can be reopened. This return is in progress.");
        var after = await Factory.OpenReturnAsync(TestData.Medway);
        after.Status.ShouldBe(ReturnStatus.InProgress);
        after.AcceptedAt.ShouldBeNull();
    }

    [Fact]
    public async Task Accept_NotStartedReturn_IsRefused()
    {
        // Arrange
        var ret = await Factory.OpenReturnAsync("856");

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id));

        // Assert
        outcome.Message.ShouldBe("Only a submitted return can be accepted. This return has not been started.");
    }

    [Fact]
    public async Task Accept_Submitted_RecordsWhoAndWhenAuditsNotifiesAndEmailsTheLa()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id, ret.SubmittedVersion));
        var again = await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id));

        // Assert
        outcome.Succeeded.ShouldBeTrue(outcome.Message);
        again.Message.ShouldBe("Only a submitted return can be accepted. This return has already been accepted.");
        var accepted = await Factory.OpenReturnAsync(TestData.Medway);
        accepted.Status.ShouldBe(ReturnStatus.Accepted);
        accepted.AcceptedAt.ShouldBe(Factory.Clock.GetUtcNow());
        accepted.AcceptedBy.ShouldBe(TestData.Users.Analyst);
        var audit = await Factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == ret.Id && a.Action == "Accepted").ToListAsync(TestContext.Current.CancellationToken));
        audit.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.Source.ShouldBe("analyst"),
            a => a.UserEmail.ShouldBe(TestData.Users.Analyst),
            a => a.NewValue.ShouldBe("FGC-202526-887-1"));
        var email = host.Emails().Where(e => !IsSubmissionConfirmation(e)).ShouldHaveSingleItem();
        email.To.Mailboxes.Single().Address.ShouldBe(TestData.Users.MedwayLead);
        email.Subject.ShouldNotBeNull().ShouldContain("accepted");
    }

    [Fact]
    public async Task Accept_CallsEveryRegisteredReturnEventsSubscriber()
    {
        // Arrange: a second subscriber (as benchmarks will be) next to the email one.
        var recorder = new RecordingReturnEvents();
        await using var withRecorder = Factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IReturnEvents>(recorder)));
        var ret = await host.SubmitValidReturnAsync();
        var analyst = await Factory.PrincipalAsync(TestData.Users.Analyst);

        // Act
        using (var scope = withRecorder.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ReturnReviewService>().AcceptAsync(analyst, ret.Id, ct: TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        }

        using (var scope = withRecorder.Services.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<ReturnReviewService>().ReopenAsync(analyst, ret.Id, "Benchmarks found a typo", ct: TestContext.Current.CancellationToken)).Succeeded.ShouldBeTrue();
        }

        // Assert
        recorder.Calls.ShouldBe([$"accepted {ret.Id}", $"sent back {ret.Id}: Benchmarks found a typo"]);
    }

    [Fact]
    public async Task SendBack_WithoutComment_IsRefusedAndNothingChanges()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.SendBackAsync(a, ret.Id, "   "));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Message.ShouldBe("Enter a comment telling the local authority what to change");
        (await Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Submitted);
        host.Emails().Where(e => !IsSubmissionConfirmation(e)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SendBack_Submitted_LaSeesCommentCanEditAndIsEmailedWithLink()
    {
        // Arrange: Medway has a second, active data lead and a deactivated one; only active leads are emailed.
        await AddLeadAsync("second.medway@fgc.example", TestData.Medway, active: true);
        await AddLeadAsync("gone.medway@fgc.example", TestData.Medway, active: false);
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.SendBackAsync(a, ret.Id, "Check the number of FGCs held against last year."));

        // Assert
        outcome.Succeeded.ShouldBeTrue(outcome.Message);
        var back = await Factory.OpenReturnAsync(TestData.Medway);
        back.Status.ShouldBe(ReturnStatus.ReturnedForAmendment);
        back.AnalystComment.ShouldBe("Check the number of FGCs held against last year.");
        host.Emails().Where(e => !IsSubmissionConfirmation(e)).Select(e => e.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal)
            .ShouldBe([TestData.Users.MedwayLead, "second.medway@fgc.example"]);
        var body = host.Emails().First(e => !IsSubmissionConfirmation(e)).TextBody.ShouldNotBeNull();
        body.ShouldContain("Check the number of FGCs held against last year.");
        body.ShouldContain($"https://fgc.test/returns/{ret.Id}");

        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);
        var edit = await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("review_fgcs_held", StoredAnswer.Of("20"), StoredAnswer.Of("19"))], ChangeSource.Form));
        edit.Status.ShouldBe(OutcomeStatus.Done);

        using var client = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        var taskList = await ReviewHost.BodyAsync(await client.GetAsync(new Uri($"/returns/{ret.Id}", UriKind.Relative), TestContext.Current.CancellationToken));
        taskList.ShouldContain("Your return has been sent back for changes");
        taskList.ShouldContain("Check the number of FGCs held against last year.");
    }

    [Fact]
    public async Task Reopen_Accepted_LaCanEditAfterDeadlineAndResubmittingClearsIt()
    {
        // Arrange: accepted, then the deadline passes.
        var ret = await host.SubmitValidReturnAsync();
        (await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id))).Succeeded.ShouldBeTrue();
        Factory.Clock.Set(new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero));
        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);
        var change = new ValueChange("review_fgcs_held", StoredAnswer.Of("20"), StoredAnswer.Of("21"));
        var whileAccepted = await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [change], ChangeSource.Form));

        // Act
        var reopen = await host.AsAnalystAsync((s, a) => s.ReopenAsync(a, ret.Id, "The reviews figure looks wrong."));
        var edit = await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [change], ChangeSource.Form));
        var reopened = await Factory.OpenReturnAsync(TestData.Medway);
        var resubmit = await Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));

        // Assert
        whileAccepted.Status.ShouldBe(OutcomeStatus.Refused);
        whileAccepted.Message.ShouldNotBeNull().ShouldContain("accepted");
        reopen.Succeeded.ShouldBeTrue(reopen.Message);
        reopened.Status.ShouldBe(ReturnStatus.ReturnedForAmendment);
        reopened.ReopenedByAnalyst.ShouldBeTrue();
        reopened.AnalystComment.ShouldBe("The reviews figure looks wrong.");
        reopened.AcceptedAt.ShouldBeNull();
        edit.Status.ShouldBe(OutcomeStatus.Done, edit.Message);
        resubmit.Succeeded.ShouldBeTrue(string.Join("; ", resubmit.Problems));
        var final = await Factory.OpenReturnAsync(TestData.Medway);
        final.Status.ShouldBe(ReturnStatus.Submitted);
        final.SubmittedVersion.ShouldBe(2);
        final.ReopenedByAnalyst.ShouldBeFalse();
        var actions = await Factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == ret.Id && a.Source == "analyst").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken));
        actions.ShouldBe(["Accepted", "ReopenedByAnalyst"]);
    }

    [Fact]
    public async Task Reopen_WithoutReason_IsRefused()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        (await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id))).Succeeded.ShouldBeTrue();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.ReopenAsync(a, ret.Id, ""));

        // Assert
        outcome.Message.ShouldBe("Enter the reason for reopening the return");
        (await Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Accepted);
    }

    [Fact]
    public async Task Accept_AfterTheLaSubmittedANewerVersion_IsRefused()
    {
        // Arrange: the analyst opened version 1; Medway reopened and submitted version 2 meanwhile.
        var ret = await host.SubmitValidReturnAsync();
        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);
        await Factory.WithServiceAsync<ReturnService, Outcome>(s => s.ReopenAsync(lead, ret.Id));
        await Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.AcceptAsync(a, ret.Id, expectedVersion: 1));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Message!.ShouldContain("version 2");
        (await Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Submitted);
    }

    [Fact]
    public async Task Actions_ByLaDataLead_AreForbidden()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);

        // Act
        var outcomes = await Factory.WithServiceAsync<ReturnReviewService, Outcome[]>(async s =>
        [
            await s.AcceptAsync(lead, ret.Id),
            await s.SendBackAsync(lead, ret.Id, "x"),
            await s.ReopenAsync(lead, ret.Id, "x"),
            await s.AddNoteAsync(lead, ret.Id, "families_offered", "x"),
        ]);
        var view = await Factory.WithServiceAsync<ReturnReviewService, ReviewContext?>(s => s.GetAsync(lead, ret.Id));

        // Assert
        outcomes.ShouldAllBe(o => o.Status == OutcomeStatus.Forbidden);
        view.ShouldBeNull();
        (await Factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Submitted);
    }

    [Fact]
    public async Task AddNote_NoQuestionAndNoText_RefusesWithAProblemForEachField()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.AddNoteAsync(a, ret.Id, null, " "));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Problems.ShouldBe(new[]
        {
            new Problem(ReturnReviewService.Fields.NoteItem, "Select the question the note is about"),
            new Problem(ReturnReviewService.Fields.NoteText, "Enter the note"),
        });
    }

    [Fact]
    public async Task SendBack_NoComment_IsAProblemWithTheComment()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var outcome = await host.AsAnalystAsync((s, a) => s.SendBackAsync(a, ret.Id, ""));

        // Assert
        outcome.Problems.ShouldHaveSingleItem().ShouldBe(new Problem(ReturnReviewService.Fields.Comment, "Enter a comment telling the local authority what to change"));
    }

    [Fact]
    public async Task Note_OnAnItem_IsShownToTheLaAndAudited()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();

        // Act
        var added = await host.AsAnalystAsync((s, a) => s.AddNoteAsync(a, ret.Id, "fgcs_held", "This is much higher than your neighbours."));
        var unknownItem = await host.AsAnalystAsync((s, a) => s.AddNoteAsync(a, ret.Id, "no_such_question", "x"));

        // Assert
        added.Succeeded.ShouldBeTrue(added.Message);
        unknownItem.Message.ShouldBe("Select the question the note is about");
        var note = (await Factory.WithDbAsync(db => db.ReturnItemNotes.Where(n => n.ReturnId == ret.Id).ToListAsync(TestContext.Current.CancellationToken))).ShouldHaveSingleItem();
        note.AuthorEmail.ShouldBe(TestData.Users.Analyst);
        note.CreatedAt.ShouldBe(Factory.Clock.GetUtcNow());
        (await Factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == ret.Id && a.Action == "NoteAdded" && a.Source == "analyst", TestContext.Current.CancellationToken))).ShouldBe(1);

        using var medway = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        var taskList = await ReviewHost.BodyAsync(await medway.GetAsync(new Uri($"/returns/{ret.Id}", UriKind.Relative), TestContext.Current.CancellationToken));
        taskList.ShouldContain("Notes from the national team");
        taskList.ShouldContain("This is much higher than your neighbours.");

        var leicester = await Factory.PrincipalAsync(TestData.Users.LeicesterLead);
        (await Factory.WithServiceAsync<ReturnReviewService, IReadOnlyList<ReturnItemNote>>(s => s.NotesAsync(leicester, ret.Id))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Compare_TwoVersions_ListsOnlyChangedItemsOldToNew()
    {
        // Arrange
        var ret = await host.SubmitValidReturnAsync();
        var lead = await Factory.PrincipalAsync(TestData.Users.MedwayLead);
        await Factory.WithServiceAsync<ReturnService, Outcome>(s => s.ReopenAsync(lead, ret.Id));
        await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id,
            [new ValueChange("review_fgcs_held", StoredAnswer.Of("20"), StoredAnswer.Of("1234"))], ChangeSource.Form));
        (await Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"))).Succeeded.ShouldBeTrue();
        var analyst = await Factory.PrincipalAsync(TestData.Users.Analyst);

        // Act
        var comparison = await Factory.WithServiceAsync<ReturnReviewService, VersionComparison?>(s => s.CompareAsync(analyst, ret.Id, 1, 2));
        using var client = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        var page = await client.GetAsync(new Uri($"/review/{ret.Id}/compare?from=1&to=2", UriKind.Relative), TestContext.Current.CancellationToken);
        var missing = await client.GetAsync(new Uri($"/review/{ret.Id}/compare?from=1&to=9", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        var change = comparison!.Values.ShouldHaveSingleItem();
        change.Key.ShouldBe("review_fgcs_held");
        change.From.ShouldBe("20");
        change.To.ShouldBe("1,234");
        comparison.Explanations.ShouldBeEmpty();
        page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var body = await ReviewHost.BodyAsync(page);
        body.ShouldContain("1 item changed");
        body.ShouldContain("1,234");
        missing.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    private static bool IsSubmissionConfirmation(MimeKit.MimeMessage email) =>
        email.Subject?.Contains("has been submitted", StringComparison.Ordinal) == true;

    private async Task AddLeadAsync(string email, string laCode, bool active)
    {
        using var scope = Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Core.Identity.FgcUser>>();
        var user = new Core.Identity.FgcUser { UserName = email, Email = email, DisplayName = email, LaCode = laCode, IsActive = active, CreatedAt = Factory.Clock.GetUtcNow() };
        (await users.CreateAsync(user, SignInExtensions.DemoPassword)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, Core.Identity.Roles.LaDataLead)).Succeeded.ShouldBeTrue();
    }

    private sealed class RecordingReturnEvents : IReturnEvents
    {
        public List<string> Calls { get; } = [];

        public Task ReturnAcceptedAsync(LaReturn ret, CancellationToken ct)
        {
            Calls.Add($"accepted {ret.Id}");
            return Task.CompletedTask;
        }

        public Task ReturnSentBackAsync(LaReturn ret, string comment, CancellationToken ct)
        {
            Calls.Add($"sent back {ret.Id}: {comment}");
            return Task.CompletedTask;
        }
    }
}
