using FgcReturns.Core;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace FgcReturns.IntegrationTests.Collections;

public sealed class CollectionJobsTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private readonly string pickup = Path.Combine(Path.GetTempPath(), "fgc-emails-" + Guid.NewGuid().ToString("N")[..12]);
    private FgcWebFactory factory = null!;

    private TestClock Clock => factory.Clock;

    public async ValueTask InitializeAsync()
    {
        // A fresh database and email folder per test: these tests change collections and count emails.
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Email:PickupDirectory"] = pickup,
            ["Email:PortalBaseUrl"] = "https://fgc.example/",
        });
        _ = factory.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        if (Directory.Exists(pickup))
        {
            Directory.Delete(pickup, recursive: true);
        }
    }

    /// <summary>Runs a job as Hangfire would: a fresh DI scope per run.</summary>
    private async Task RunAsync(Func<CollectionJobs, Task> job)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await job(scope.ServiceProvider.GetRequiredService<CollectionJobs>());
    }

    private string[] EmailFiles() => Directory.Exists(pickup) ? Directory.GetFiles(pickup, "*.eml") : [];

    private List<MimeMessage> Emails(IEnumerable<string>? except = null) =>
        EmailFiles().Except(except ?? []).Select(f => MimeMessage.Load(f)).ToList();

    private static string To(MimeMessage message) => message.To.Mailboxes.Single().Address;

    private Task<Collection> CollectionAsync(string period) =>
        factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Period == period));

    [Fact]
    public async Task Schedule_OpensOnTheOpeningDateAndClosesTheDayAfterTheDeadline()
    {
        // Arrange: a 2026-27 collection opening on 1 December 2026.
        var admin = await factory.PrincipalAsync(TestData.Users.Administrator);
        await factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s => s.CreateAsync(admin,
            new NewCollection("fgc-annual", "1.0", "2026-27", new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 29))));

        // Act + Assert: the day before opening nothing changes.
        Clock.Set(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        (await CollectionAsync("2026-27")).Status.ShouldBe(CollectionStatus.Scheduled);

        // On the opening date it opens; running again changes nothing more.
        Clock.Set(new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        (await CollectionAsync("2026-27")).Status.ShouldBe(CollectionStatus.Open);

        // 2025-26 stays open on its deadline, 18 December, and closes the day after.
        Clock.Set(new DateTimeOffset(2026, 12, 18, 23, 5, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        (await CollectionAsync(TestData.OpenPeriod)).Status.ShouldBe(CollectionStatus.Open);
        Clock.Set(new DateTimeOffset(2026, 12, 19, 0, 5, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        (await CollectionAsync(TestData.OpenPeriod)).Status.ShouldBe(CollectionStatus.Closed);
        (await CollectionAsync("2026-27")).Status.ShouldBe(CollectionStatus.Open);

        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.Source == "system").OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => (a.Action, a.NewValue)).ShouldBe([("CollectionOpened", "Open"), ("CollectionClosed", "Closed")]);
    }

    [Fact]
    public async Task Reminders_RunTwice_EachLeadGetsOneEmailPerMilestoneAndNoneOnceSubmitted()
    {
        // Arrange: 4 December 2026 is 14 days before the 2025-26 deadline.
        var collection = await CollectionAsync(TestData.OpenPeriod);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        Clock.Set(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

        // Act: two runs at once, then a third.
        await Task.WhenAll(RunAsync(j => j.SendRemindersAsync(CancellationToken.None)), RunAsync(j => j.SendRemindersAsync(CancellationToken.None)));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert: one email to each of the three demo LAs' data leads.
        var firstFiles = EmailFiles();
        var first = Emails();
        first.Select(To).Order().ShouldBe([TestData.Users.LeicesterLead, TestData.Users.LeicestershireLead, TestData.Users.MedwayLead]);
        var toMedway = first.Single(m => To(m) == TestData.Users.MedwayLead);
        toMedway.Subject.ShouldBe("Reminder: FGC annual return 2025-26 is due on Friday 18 December 2026");
        var body = toMedway.TextBody ?? "";
        body.ShouldContain("Dear Morgan Medway,");
        body.ShouldContain("Medway has not yet submitted its FGC annual return 2025-26.");
        body.ShouldContain("The deadline is Friday 18 December 2026, 14 days from now.");
        body.ShouldContain($"https://fgc.example/returns/{medway.Id}");
        var rows = await factory.WithDbAsync(db => db.RemindersSent.Where(r => r.CollectionId == collection.Id).ToListAsync());
        rows.Select(r => (r.LaCode, r.Milestone)).Order().ShouldBe([("855", -14), ("856", -14), (TestData.Medway, -14)]);

        // Arrange: Leicester submits; 15 December is 3 days before the deadline.
        await factory.WithDbAsync(async db =>
        {
            var leicester = await db.Returns.SingleAsync(r => r.CollectionId == collection.Id && r.LaCode == "856");
            leicester.Status = ReturnStatus.Submitted;
            return await db.SaveChangesAsync();
        });
        Clock.Set(new DateTimeOffset(2026, 12, 15, 8, 0, 0, TimeSpan.Zero));

        // Act
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert: Leicester is not reminded again.
        var second = Emails(except: firstFiles);
        second.Select(To).Order().ShouldBe([TestData.Users.LeicestershireLead, TestData.Users.MedwayLead]);
        second.ShouldAllBe(m => (m.TextBody ?? "").Contains("The deadline is Friday 18 December 2026, 3 days from now."));
        Emails().Count.ShouldBe(5);
    }

    [Fact]
    public async Task Reminders_DayAfterDeadline_OverdueEmailAfterClosingButNotToDeactivatedLeads()
    {
        // Arrange: the Leicestershire lead has left; the collection closes at its deadline.
        await factory.WithDbAsync(async db =>
        {
            (await db.Users.SingleAsync(u => u.Email == TestData.Users.LeicestershireLead)).IsActive = false;
            return await db.SaveChangesAsync();
        });
        Clock.Set(new DateTimeOffset(2026, 12, 19, 8, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));

        // Act
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        (await CollectionAsync(TestData.OpenPeriod)).Status.ShouldBe(CollectionStatus.Closed);
        var emails = Emails();
        emails.Select(To).Order().ShouldBe([TestData.Users.LeicesterLead, TestData.Users.MedwayLead]);
        emails.ShouldAllBe(m => m.Subject == "Overdue: FGC annual return 2025-26 was due on Friday 18 December 2026");
    }

    [Fact]
    public async Task Reminders_NoMilestoneToday_SendsNothing()
    {
        // Arrange: 23 November 2026 is 25 days before the deadline.

        // Act
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        Emails().ShouldBeEmpty();
        (await factory.WithDbAsync(db => db.RemindersSent.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public void RecurringJobs_AreRegisteredAtStartUpWithTheirCron()
    {
        // Arrange
        var storage = factory.Services.GetRequiredService<JobStorage>();

        // Act
        using var connection = storage.GetConnection();
        var jobs = connection.GetRecurringJobs();

        // Assert
        jobs.Single(j => j.Id == RecurringJobs.CollectionSchedule).Cron.ShouldBe("5 * * * *");
        jobs.Single(j => j.Id == RecurringJobs.CollectionReminders).Cron.ShouldBe("0 8 * * *");
        jobs.ShouldAllBe(j => j.TimeZoneId == "Europe/London");
    }

    private async Task<Collection> CreateAsync(string period, DateOnly opensOn, DateOnly deadline)
    {
        var admin = await factory.PrincipalAsync(TestData.Users.Administrator);
        var outcome = await factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s => s.CreateAsync(admin,
            new NewCollection("fgc-annual", "1.0", period, opensOn, deadline)));
        outcome.Succeeded.ShouldBeTrue(string.Join("; ", outcome.Problems.Select(p => p.Message)));
        return outcome.Value!;
    }

    [Fact]
    public async Task Reminders_OnTheSpringClockChangeDay_GoOutAtEightBstNotEightUtc()
    {
        // Arrange: 2026-27 closes on Sunday 11 April 2027, so its 14-day reminder falls on Sunday 28 March 2027, the
        // day the clocks go forward: 08:00 UK time is 07:00 UTC.
        await CreateAsync("2026-27", new DateOnly(2026, 12, 1), new DateOnly(2027, 4, 11));
        Clock.Set(new DateTimeOffset(2027, 3, 28, 0, 30, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));

        // Act: 06:59 UTC is 07:59 BST, before the reminder hour.
        Clock.Set(new DateTimeOffset(2027, 3, 28, 6, 59, 0, TimeSpan.Zero));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));
        var beforeTheHour = Emails().Count;
        Clock.Set(new DateTimeOffset(2027, 3, 28, 7, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        beforeTheHour.ShouldBe(0);
        var emails = Emails();
        emails.Select(To).Order().ShouldBe([TestData.Users.LeicesterLead, TestData.Users.LeicestershireLead, TestData.Users.MedwayLead]);
        emails.ShouldAllBe(m => (m.Subject ?? "").EndsWith("2026-27 is due on Sunday 11 April 2027", StringComparison.Ordinal));
        emails.ShouldAllBe(m => (m.TextBody ?? "").Contains("The deadline is Sunday 11 April 2027, 14 days from now."));
    }

    [Fact]
    public async Task Reminders_OnTheAutumnClockChangeDay_GoOutAtEightGmt()
    {
        // Arrange: 2027-28 closes on Sunday 14 November 2027; its 14-day reminder falls on Sunday 31 October 2027,
        // the day the clocks go back: 08:00 UK time is 08:00 UTC again.
        await CreateAsync("2027-28", new DateOnly(2027, 4, 1), new DateOnly(2027, 11, 14));
        Clock.Set(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));

        // Act: 07:30 UTC is 07:30 GMT, before the reminder hour (it would have been 08:30 BST the day before).
        Clock.Set(new DateTimeOffset(2027, 10, 31, 7, 30, 0, TimeSpan.Zero));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));
        var beforeTheHour = Emails().Count;
        Clock.Set(new DateTimeOffset(2027, 10, 31, 8, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        beforeTheHour.ShouldBe(0);
        Emails().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Deadline_InSummer_EndsAt235959BstNotMidnightUtc()
    {
        // Arrange: 2026-27's deadline is Friday 16 April 2027, in BST.
        var collection = await CreateAsync("2026-27", new DateOnly(2026, 12, 1), new DateOnly(2027, 4, 16));
        Clock.Set(new DateTimeOffset(2027, 4, 16, 22, 59, 59, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        var stillOpen = await CollectionByIdAsync(collection.Id);
        var openAtTheLastSecond = await factory.WithServiceAsync<ReturnService, bool>(s => Task.FromResult(s.IsOpen(stillOpen)));

        // Act: 23:00 UTC is midnight in the UK.
        Clock.Set(new DateTimeOffset(2027, 4, 16, 23, 0, 0, TimeSpan.Zero));
        var openAfterMidnight = await factory.WithServiceAsync<ReturnService, bool>(s => Task.FromResult(s.IsOpen(stillOpen)));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));

        // Assert
        stillOpen.Status.ShouldBe(CollectionStatus.Open);
        openAtTheLastSecond.ShouldBeTrue();
        openAfterMidnight.ShouldBeFalse();
        var closed = await CollectionByIdAsync(collection.Id);
        closed.Status.ShouldBe(CollectionStatus.Closed);
        closed.ClosedEarly.ShouldBeFalse();
    }

    [Fact]
    public async Task Reminders_CollectionClosedEarly_NoDayAfterReminder()
    {
        // Arrange: an administrator closes 2025-26 on 10 December, before its 18 December deadline.
        Clock.Set(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));
        var admin = await factory.PrincipalAsync(TestData.Users.Administrator);
        var collection = await CollectionAsync(TestData.OpenPeriod);
        (await factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s => s.CloseAsync(admin, collection.Id))).Succeeded.ShouldBeTrue();

        // Act: the day after the deadline, when the overdue reminder would go.
        Clock.Set(new DateTimeOffset(2026, 12, 19, 8, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.ApplyScheduleAsync(CancellationToken.None));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        (await CollectionAsync(TestData.OpenPeriod)).ClosedEarly.ShouldBeTrue();
        Emails().ShouldBeEmpty();
        (await factory.WithDbAsync(db => db.RemindersSent.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task Reminders_CollectionClosedAtItsDeadline_StillSendsTheDayAfterReminder()
    {
        // Arrange: closed by an administrator after the deadline ended (the schedule had not run yet).
        Clock.Set(new DateTimeOffset(2026, 12, 19, 0, 1, 0, TimeSpan.Zero));
        var admin = await factory.PrincipalAsync(TestData.Users.Administrator);
        var collection = await CollectionAsync(TestData.OpenPeriod);
        (await factory.WithServiceAsync<CollectionService, Outcome<Collection>>(s => s.CloseAsync(admin, collection.Id))).Succeeded.ShouldBeTrue();

        // Act
        Clock.Set(new DateTimeOffset(2026, 12, 19, 8, 0, 0, TimeSpan.Zero));
        await RunAsync(j => j.SendRemindersAsync(CancellationToken.None));

        // Assert
        Emails().Count.ShouldBe(3);
    }

    private Task<Collection> CollectionByIdAsync(int id) =>
        factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == id));
}
