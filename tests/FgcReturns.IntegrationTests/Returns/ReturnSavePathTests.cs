using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Returns;

/// <summary>The save path the section page uses, as people use it: bad input, colleagues at once, a deactivated account.</summary>
public sealed class ReturnSavePathTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().Build());
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private Task<T> Service<T>(Func<ReturnService, Task<T>> action) => factory.WithServiceAsync(action);

    [Theory]
    [InlineData("families_offered", "abc", "Families offered an FGC must be a whole number, like 12")]
    [InlineData("families_offered", "-5", "Families offered an FGC must be 0 or more")]
    [InlineData("families_offered", "2.5", "Families offered an FGC must be a whole number, like 12")]
    public async Task Save_ValueThatFailsItsQuestionsChecks_IsNeverStoredAndComesBackNotSaved(string key, string typed, string message)
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange(key, StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));

        // Act
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange(key, StoredAnswer.Of("37"), StoredAnswer.Of(typed))], ChangeSource.Form));

        // Assert: the database still holds 37, no audit row mentions what was typed, and the page is told why.
        outcome.NotSaved[key].ShouldBe(message);
        (await factory.OpenReturnAsync(TestData.Medway)).Values[key].ShouldBe("37");
        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == ret.Id && a.ItemKey == key).ToListAsync());
        audit.ShouldNotContain(a => a.NewValue == typed);
    }

    [Fact]
    public async Task Save_Change_ReturnsTheRefreshedStateInOneRoundTrip()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);

        // Act: accepted (60) more than offered (50) is error E01.
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id,
            [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("50")), new ValueChange("families_accepted", StoredAnswer.Unanswered, StoredAnswer.Of("60"))], ChangeSource.Form));

        // Assert
        var stored = await factory.OpenReturnAsync(TestData.Medway);
        outcome.State!.Values["families_accepted"].ShouldBe("60");
        outcome.State.RowVersion.ShouldBe(stored.RowVersion);
        outcome.State.Validation.Errors.ShouldContain(e => e.RuleId == "E01");
    }

    [Fact]
    public async Task Save_TwentyPeopleChangingDifferentAnswersAtOnce_EveryAnswerIsSaved()
    {
        // Arrange: twenty numeric answers of FGC 1.0, each typed by its own "page" (its own scope and DbContext).
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var answers = TwentyCountAnswers();

        // Act
        var outcomes = await SaveAllAtOnceAsync(lead, ret.Id, answers);

        // Assert: no exception escaped (WhenAll would throw), every save says saved, every answer is in the database.
        outcomes.ShouldAllBe(o => o.Status == OutcomeStatus.Done);
        var stored = await factory.OpenReturnAsync(TestData.Medway);
        foreach (var (key, value) in answers)
        {
            stored.Values[key].ShouldBe(value);
        }

        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == ret.Id && a.Action == "ValueChanged"))).ShouldBe(20);
    }

    [Fact]
    public async Task Save_TwentyPeopleChangingDifferentAnswersAtOnce_QueueOnTheReturnInsteadOfRetrying()
    {
        // Arrange: as above; every save refused by the return's row version (and redone from scratch) is counted.
        // Under load (the 500-circuit harness) such retries outnumbered saves 1.6 to 1 and multiplied the work.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var database = await factory.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().Database));
        var answers = TwentyCountAnswers();
        using var refusals = new RowVersionRefusals(database);

        // Act
        var outcomes = await SaveAllAtOnceAsync(lead, ret.Id, answers);

        // Assert: all saved, and not one save had to be done again.
        outcomes.ShouldAllBe(o => o.Status == OutcomeStatus.Done);
        refusals.Count.ShouldBe(0);
    }

    /// <summary>Twenty count answers of a valid 1.0 return, each a different item.</summary>
    private static List<KeyValuePair<string, string?>> TwentyCountAnswers()
    {
        var answers = ReturnValuesBuilder.ValidFgc10().Build()
            .Where(kv => kv.Value is { } v && long.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Take(20).ToList();
        answers.Count.ShouldBe(20);
        return answers;
    }

    /// <summary>One person per answer, all saving at the same moment through the service the section page uses.</summary>
    private async Task<SaveOutcome[]> SaveAllAtOnceAsync(System.Security.Claims.ClaimsPrincipal lead, int returnId, List<KeyValuePair<string, string?>> answers)
    {
        using var start = new ManualResetEventSlim();
        var saves = answers.Select(kv => Task.Run(async () =>
        {
            start.Wait();
            return await Service(s => s.SaveAsync(lead, returnId, [new ValueChange(kv.Key, StoredAnswer.Unanswered, StoredAnswer.Of(kv.Value))], ChangeSource.Form));
        })).ToList();
        start.Set();
        return await Task.WhenAll(saves);
    }

    /// <summary>Counts EF Core's row-version refusals (its DiagnosticListener) on one database, whichever test class runs beside.</summary>
    private sealed class RowVersionRefusals : IObserver<System.Diagnostics.DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string database;
        private readonly IDisposable subscription;
        private readonly List<IDisposable> listeners = [];
        private int count;

        public RowVersionRefusals(string database)
        {
            this.database = database;
            subscription = System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => Volatile.Read(ref count);

        public void OnNext(System.Diagnostics.DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (listeners)
                {
                    listeners.Add(value.Subscribe(this, name => name == CoreEventId.OptimisticConcurrencyException.Name));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is DbContextEventData { Context: { } context } && context.Database.GetDbConnection().Database == database)
            {
                Interlocked.Increment(ref count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            subscription.Dispose();
            lock (listeners)
            {
                listeners.ForEach(l => l.Dispose());
            }
        }
    }

    [Fact]
    public async Task SaveExplanation_ColleagueSavedFirst_IsRefusedAndTheirsIsKept()
    {
        // Arrange: both colleagues open the query with no explanation yet.
        await AddLeadAsync("second.medway@fgc.example", TestData.Medway);
        var first = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var second = await factory.PrincipalAsync("second.medway@fgc.example");
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(first, ret.Id, ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "38").With("families_accepted", "37").With("families_declined", "8").Build().AsChangesFromBlank(), ChangeSource.Form));
        await Service(s => s.SaveExplanationAsync(first, ret.Id, "Q01", "Families agreed in March and met in April.", before: null));

        // Act: the second still started from no explanation.
        var stale = await Service(s => s.SaveExplanationAsync(second, ret.Id, "Q01", "A data error we are checking.", before: null));

        // Assert
        stale.Status.ShouldBe(OutcomeStatus.Conflict);
        stale.Message!.ShouldContain("lead.medway@fgc.example changed this explanation");
        stale.State!.Explanations["Q01"].ShouldBe("Families agreed in March and met in April.");
        (await factory.OpenReturnAsync(TestData.Medway)).Explanations["Q01"].ShouldBe("Families agreed in March and met in April.");

        // Having seen theirs, the second may knowingly replace it.
        var knowing = await Service(s => s.SaveExplanationAsync(second, ret.Id, "Q01", "A data error we are checking.", before: "Families agreed in March and met in April."));
        knowing.Status.ShouldBe(OutcomeStatus.Done);
    }

    [Fact]
    public async Task Save_UseMyAnswersInstead_TheColleagueIsToldOnTheirNextSave()
    {
        // Arrange: the first saves 37; the second, who started from blank, gets a conflict and chooses theirs.
        await AddLeadAsync("second.medway@fgc.example", TestData.Medway);
        var first = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var second = await factory.PrincipalAsync("second.medway@fgc.example");
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(first, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));
        var conflict = (await Service(s => s.SaveAsync(second, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("40"))], ChangeSource.Form))).Conflicts.ShouldHaveSingleItem();

        // Act
        await Service(s => s.SaveAsync(second, ret.Id, [new ValueChange(conflict.Key, conflict.Theirs, conflict.Yours, new ReplacedColleague(conflict.ChangedByUserId, conflict.ChangedBy))], ChangeSource.Form));
        var firstsNextSave = await Service(s => s.SaveAsync(first, ret.Id, [new ValueChange("families_accepted", StoredAnswer.Unanswered, StoredAnswer.Of("30"))], ChangeSource.Form));
        var firstsReload = await Service(s => s.StateAsync(first, ret.Id));
        var secondsView = await Service(s => s.StateAsync(second, ret.Id));

        // Assert
        var told = firstsNextSave.State!.ReplacedAnswers.ShouldHaveSingleItem();
        told.Key.ShouldBe("families_offered");
        told.Yours.ShouldBe("37");
        told.Theirs.ShouldBe("40");
        told.ReplacedBy.ShouldBe("second.medway@fgc.example");
        firstsReload!.ReplacedAnswers.ShouldHaveSingleItem();
        secondsView!.ReplacedAnswers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_AccountDeactivatedWhilePageOpen_IsRefusedAtOnce()
    {
        // Arrange: the principal (the open page's sign-in) still says data lead; the account is now inactive.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithDbAsync(db => db.Users.Where(u => u.Email == TestData.Users.MedwayLead).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));

        // Act
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("5"))], ChangeSource.Form));
        var explanation = await Service(s => s.SaveExplanationAsync(lead, ret.Id, "Q01", "Text", before: null));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Message!.ShouldContain("deactivated");
        explanation.Status.ShouldBe(OutcomeStatus.Refused);
        (await factory.OpenReturnAsync(TestData.Medway)).Values.ShouldBeEmpty();
    }

    [Fact]
    public async Task Submit_ValidReturn_EmailsEachDataLeadTheReference()
    {
        // Arrange: Medway has two data leads; emails go to a pickup folder.
        await using var host = await Review.ReviewHost.StartAsync(database);
        using (var scope = host.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
            var second = new FgcUser { UserName = "second.medway@fgc.example", Email = "second.medway@fgc.example", DisplayName = "Second", LaCode = TestData.Medway, IsActive = true };
            (await users.CreateAsync(second, SignInExtensions.DemoPassword)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(second, Roles.LaDataLead)).Succeeded.ShouldBeTrue();
        }

        // Act
        await host.SubmitValidReturnAsync();

        // Assert
        var emails = host.Emails();
        emails.Select(e => e.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal).ShouldBe([TestData.Users.MedwayLead, "second.medway@fgc.example"]);
        emails[0].Subject.ShouldBe("FGC annual return 2025-26: your return has been submitted – reference FGC-202526-887-1");
        var body = emails[0].TextBody.ShouldNotBeNull();
        body.ShouldContain("Your reference is FGC-202526-887-1.");
        body.ShouldContain("approved by Sam Head, Head of Service");
        body.ShouldContain("submitted on 23 November 2026 at 9:00am by lead.medway@fgc.example");
    }

    [Fact]
    public async Task HistoryPage_MoreThanAPageOfChanges_IsPagedInAScrollingRegion()
    {
        // Arrange: 30 changes, one audit row each.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        for (var i = 1; i <= 30; i++)
        {
            var before = i == 1 ? StoredAnswer.Unanswered : StoredAnswer.Of((i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", before, StoredAnswer.Of(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))], ChangeSource.Form));
        }

        using var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);

        // Act
        var first = await Review.ReviewHost.BodyAsync(await client.GetAsync(new Uri($"/returns/{ret.Id}/history", UriKind.Relative), TestContext.Current.CancellationToken));
        var second = await Review.ReviewHost.BodyAsync(await client.GetAsync(new Uri($"/returns/{ret.Id}/history?page=2", UriKind.Relative), TestContext.Current.CancellationToken));

        // Assert
        first.ShouldContain("Showing changes 1 to 25 of 30, newest first.");
        first.ShouldContain("class=\"app-table-scroll\" role=\"region\"");
        first.ShouldContain($"href=\"/returns/{ret.Id}/history?page=2\"");
        System.Text.RegularExpressions.Regex.Matches(first, "<tr class=\"govuk-table__row\">").Count.ShouldBe(26);
        second.ShouldContain("Showing changes 26 to 30 of 30, newest first.");
        System.Text.RegularExpressions.Regex.Matches(second, "<tr class=\"govuk-table__row\">").Count.ShouldBe(6);
    }

    private async Task AddLeadAsync(string email, string laCode)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        var user = new FgcUser { UserName = email, Email = email, DisplayName = email, LaCode = laCode, IsActive = true, CreatedAt = factory.Clock.GetUtcNow() };
        (await users.CreateAsync(user, SignInExtensions.DemoPassword)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, Roles.LaDataLead)).Succeeded.ShouldBeTrue();
    }
}
