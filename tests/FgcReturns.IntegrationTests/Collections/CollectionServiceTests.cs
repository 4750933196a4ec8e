using FgcReturns.Core;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Collections;

public sealed class CollectionServiceTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string Administrator = TestData.Users.Administrator;
    private const string Analyst = TestData.Users.Analyst;
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() =>
        // A fresh database per test: these tests create and change collections.
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private Task<T> Service<T>(Func<CollectionService, Task<T>> action) => factory.WithServiceAsync(action);

    private static NewCollection Request(string version = "1.0", string period = "2026-27", DateOnly? opens = null, DateOnly? deadline = null) =>
        new("fgc-annual", version, period, opens ?? new DateOnly(2027, 10, 1), deadline ?? new DateOnly(2027, 12, 17));

    private Task<int> OpenCollectionIdAsync() => factory.WithDbAsync(db => db.Collections.Where(c => c.Period == TestData.OpenPeriod).Select(c => c.Id).SingleAsync());

    [Fact]
    public async Task Create_PublishedVersion_IsScheduledWithEveryLasReturnAndAudited()
    {
        // Arrange
        var admin = await factory.PrincipalAsync(Administrator);

        // Act
        var outcome = await Service(s => s.CreateAsync(admin, Request()));

        // Assert
        outcome.Succeeded.ShouldBeTrue(string.Join("; ", outcome.Problems.Select(p => p.Message)));
        var collection = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Period == "2026-27"));
        collection.ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(CollectionStatus.Scheduled),
            c => c.DefinitionVersion.ShouldBe("1.0"),
            c => c.PeriodStart.ShouldBe(new DateOnly(2026, 4, 1)),
            c => c.PeriodEnd.ShouldBe(new DateOnly(2027, 3, 31)),
            c => c.Title.ShouldBe("Family group conferences annual return 2026-27"));
        var returns = await factory.WithDbAsync(db => db.Returns.Where(r => r.CollectionId == collection.Id).ToListAsync());
        returns.Count.ShouldBe(153);
        returns.ShouldAllBe(r => r.Status == ReturnStatus.NotStarted);
        var audit = await factory.WithDbAsync(db => db.AuditEvents.SingleAsync(a => a.Action == "CollectionCreated"));
        audit.ShouldSatisfyAllConditions(
            a => a.Source.ShouldBe("analyst"),
            a => a.UserEmail.ShouldBe(Administrator),
            a => a.Detail!.ShouldContain("\"period\": \"2026-27\""));
    }

    [Fact]
    public async Task Create_OpeningToday_IsOpenAtOnce()
    {
        // Arrange: the clock says 23 November 2026.
        var admin = await factory.PrincipalAsync(Administrator);

        // Act
        var outcome = await Service(s => s.CreateAsync(admin, Request(opens: new DateOnly(2026, 11, 23), deadline: new DateOnly(2027, 1, 29))));

        // Assert
        outcome.Value!.Status.ShouldBe(CollectionStatus.Open);
    }

    [Theory]
    [InlineData("1.1", "2026-27", 2027, 10, 1, 2027, 12, 17, "definition", "Family group conferences annual return version 1.1 is a draft. A collection can only use a published version")]
    [InlineData("1.0", TestData.OpenPeriod, 2027, 10, 1, 2027, 12, 17, "period", "There is already a collection for 2025-26 (FGC annual return 2025-26)")]
    [InlineData("1.0", "2026-27", 2027, 10, 1, 2027, 9, 30, "deadline", "The deadline must be after the opening date")]
    [InlineData("1.0", "2026-27", 2027, 10, 1, 2027, 10, 1, "deadline", "The deadline must be after the opening date")]
    [InlineData("1.0", "2026-28", 2027, 10, 1, 2027, 12, 17, "period", "Enter the reporting period as a financial year, for example 2026-27")]
    [InlineData("1.0", "2026-27", 2026, 3, 1, 2026, 12, 17, "opens-on", "The opening date must be on or after the start of the reporting period, Wednesday 1 April 2026")]
    [InlineData("9.9", "2026-27", 2027, 10, 1, 2027, 12, 17, "definition", "There is no survey definition fgc-annual version 9.9")]
    public async Task Create_Invalid_IsRefusedInPlainEnglishAndCreatesNothing(string version, string period, int oy, int om, int od, int dy, int dm, int dd, string field, string message)
    {
        // Arrange
        var admin = await factory.PrincipalAsync(Administrator);

        // Act
        var outcome = await Service(s => s.CreateAsync(admin, Request(version, period, new DateOnly(oy, om, od), new DateOnly(dy, dm, dd))));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Problems.ShouldContain(p => p.Field == field && p.Message.StartsWith(message, StringComparison.Ordinal));
        (await factory.WithDbAsync(db => db.Collections.CountAsync())).ShouldBe(2);
        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task EveryChange_Analyst_IsForbiddenAndChangesNothing()
    {
        // Arrange
        var analyst = await factory.PrincipalAsync(Analyst);
        var id = await OpenCollectionIdAsync();

        // Act
        var outcomes = new[]
        {
            await Service(s => s.CreateAsync(analyst, Request())),
            await Service(s => s.ExtendDeadlineAsync(analyst, id, new DateOnly(2027, 1, 15))),
            await Service(s => s.CloseAsync(analyst, id)),
            await Service(s => s.ReopenAsync(analyst, id, null)),
        };

        // Assert
        outcomes.ShouldAllBe(o => o.Status == OutcomeStatus.Forbidden);
        outcomes[0].Problems.Single().Message.ShouldBe("Only administrators can create collections.");
        var collection = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == id));
        collection.Deadline.ShouldBe(new DateOnly(2026, 12, 18));
        collection.Status.ShouldBe(CollectionStatus.Open);
        (await factory.WithDbAsync(db => db.Collections.CountAsync())).ShouldBe(2);
        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task ExtendCloseReopen_Administrator_ChangesTheCollectionAndAuditsEachStep()
    {
        // Arrange
        var admin = await factory.PrincipalAsync(Administrator);
        var id = await OpenCollectionIdAsync();

        // Act
        var earlier = await Service(s => s.ExtendDeadlineAsync(admin, id, new DateOnly(2026, 12, 1)));
        var extended = await Service(s => s.ExtendDeadlineAsync(admin, id, new DateOnly(2027, 1, 15)));
        var closed = await Service(s => s.CloseAsync(admin, id));
        var extendClosed = await Service(s => s.ExtendDeadlineAsync(admin, id, new DateOnly(2027, 2, 1)));
        var closeAgain = await Service(s => s.CloseAsync(admin, id));
        var pastDeadline = await Service(s => s.ReopenAsync(admin, id, new DateOnly(2026, 11, 1)));
        var reopened = await Service(s => s.ReopenAsync(admin, id, null));

        // Assert
        earlier.Problems.Single().Message.ShouldBe("The new deadline must be after the current deadline, Friday 18 December 2026");
        extended.Succeeded.ShouldBeTrue();
        closed.Succeeded.ShouldBeTrue();
        extendClosed.Problems.Single().Message.ShouldBe("This collection is closed. Reopen it to set a new deadline");
        closeAgain.Problems.Single().Message.ShouldBe("This collection is already closed");
        pastDeadline.Problems.Single().Message.ShouldBe("The new deadline must be today or in the future");
        reopened.Succeeded.ShouldBeTrue();
        var collection = await factory.WithDbAsync(db => db.Collections.AsNoTracking().SingleAsync(c => c.Id == id));
        collection.Status.ShouldBe(CollectionStatus.Open);
        collection.Deadline.ShouldBe(new DateOnly(2027, 1, 15));
        var audit = await factory.WithDbAsync(db => db.AuditEvents.OrderBy(a => a.Id).ToListAsync());
        audit.Select(a => a.Action).ShouldBe(["DeadlineExtended", "CollectionClosed", "CollectionReopened"]);
        audit[0].ShouldSatisfyAllConditions(
            a => a.OldValue.ShouldBe("2026-12-18"),
            a => a.NewValue.ShouldBe("2027-01-15"),
            a => a.Source.ShouldBe("analyst"),
            a => a.UserEmail.ShouldBe(Administrator));
    }

    [Fact]
    public async Task Reopen_DeadlinePassed_NeedsANewDeadline()
    {
        // Arrange: the 2024-25 collection closed on 19 December 2025.
        var admin = await factory.PrincipalAsync(Administrator);
        var id = await factory.WithDbAsync(db => db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync());

        // Act
        var withoutDate = await Service(s => s.ReopenAsync(admin, id, null));
        var withDate = await Service(s => s.ReopenAsync(admin, id, new DateOnly(2026, 12, 4)));

        // Assert
        withoutDate.Problems.Single().Message.ShouldBe("The deadline, Friday 19 December 2025, has passed. Enter a new deadline to reopen the collection");
        withDate.Succeeded.ShouldBeTrue();
        withDate.Value!.Status.ShouldBe(CollectionStatus.Open);
    }
}
