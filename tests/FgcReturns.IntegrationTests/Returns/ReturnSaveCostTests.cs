using System.Diagnostics;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FgcReturns.IntegrationTests.Returns;

/// <summary>
/// What one autosave costs the database. 500 people typing at once ask for about 450 saves a second, so every round
/// trip a save makes counts (the 500-circuit harness, docs/circuits.md).
/// </summary>
public sealed class ReturnSaveCostTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().Build());
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Save_OneAnswerOnAnOpenPage_TakesFourRoundTripsToTheDatabase()
    {
        // Arrange: the page has loaded and saved once, as an open page has.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("40"))], ChangeSource.Form));
        using var roundTrips = new RoundTrips(await factory.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().Database)));

        // Act
        var outcome = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Of("40"), StoredAnswer.Of("41"))], ChangeSource.Form));

        // Assert: the lock with the account check and last year's row version, the read of the return, the write with
        // its audit row, the commit. Eight before: a separate account check, last year's return, the replaced answers
        // and EF's savepoint around the write (SAVEPOINT and RELEASE), none needed in the save's own transaction.
        outcome.Status.ShouldBe(OutcomeStatus.Done);
        roundTrips.Seen.Count.ShouldBe(4, string.Join(Environment.NewLine + "---" + Environment.NewLine, roundTrips.Seen));
    }

    [Fact]
    public async Task Save_AfterLastYearsAcceptedFiguresChanged_ValidatesAgainstTheNewFigures()
    {
        // Arrange: a save keeps last year's return in memory; then last year's FGCs held change from 30 to 10.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var calm = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "36").Build().AsChangesFromBlank(), ChangeSource.Form));
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().With("fgcs_held", "10").Build());

        // Act: 36 against 10 is a jump (Q02).
        var jumped = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("fgcs_held", StoredAnswer.Of("36"), StoredAnswer.Of("37"))], ChangeSource.Form));

        // Assert: on the page and in the return's stored query list.
        calm.State!.Validation.Issues.ShouldNotContain(i => i.RuleId == "Q02");
        jumped.State!.Validation.Queries.ShouldContain(i => i.RuleId == "Q02");
        (await factory.OpenReturnAsync(TestData.Medway)).QueryRuleIds.ShouldContain("Q02");
    }

    [Fact]
    public async Task Save_AfterLastYearsReturnIsNoLongerAccepted_ValidatesAsAFreshLoadDoes()
    {
        // Arrange: a save keeps last year's return (FGCs held 10, so 36 is a jump) in memory; then it is reopened.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().With("fgcs_held", "10").Build());
        var jumped = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "36").Build().AsChangesFromBlank(), ChangeSource.Form));
        await factory.WithDbAsync(db => db.Returns.Where(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.PreviousPeriod)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Status, ReturnStatus.Submitted)));

        // Act
        var after = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("fgcs_held", StoredAnswer.Of("36"), StoredAnswer.Of("37"))], ChangeSource.Form));
        var fresh = await factory.WithServiceAsync<ReturnService, ReturnContext?>(s => s.GetAsync(lead, ret.Id));

        // Assert: the save compared with what a page load (which reads last year afresh) compares with, not the old figures.
        jumped.State!.Validation.Queries.ShouldContain(i => i.RuleId == "Q02");
        fresh!.Previous?.Period.ShouldNotBe(TestData.PreviousPeriod);
        after.State!.Validation.Issues.Select(i => i.RuleId).Order(StringComparer.Ordinal)
            .ShouldBe(fresh.Validation.Issues.Select(i => i.RuleId).Order(StringComparer.Ordinal));
        after.State.Validation.Issues.ShouldNotContain(i => i.RuleId == "Q02");
    }

    /// <summary>
    /// Counts the commands Npgsql sends to one database (its ActivitySource, so plain SQL counts too) and EF Core's
    /// commits (its DiagnosticListener), whichever test runs beside.
    /// </summary>
    private sealed class RoundTrips : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string database;
        private readonly IDisposable subscription;
        private readonly ActivityListener commands;
        private readonly List<IDisposable> listeners = [];
        private readonly List<string> seen = [];

        public RoundTrips(string database)
        {
            this.database = database;
            subscription = DiagnosticListener.AllListeners.Subscribe(this);
            commands = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if ((activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name")) as string == database)
                    {
                        Add((activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? activity.DisplayName);
                    }
                },
            };
            ActivitySource.AddActivityListener(commands);
        }

        public IReadOnlyList<string> Seen
        {
            get
            {
                lock (seen)
                {
                    return [.. seen];
                }
            }
        }

        private void Add(string text)
        {
            lock (seen)
            {
                seen.Add(text);
            }
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (listeners)
                {
                    listeners.Add(value.Subscribe(this, name => name == RelationalEventId.TransactionCommitted.Name));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is TransactionEndEventData transaction && transaction.Transaction.Connection?.Database == database)
            {
                Add("COMMIT");
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
            commands.Dispose();
            lock (listeners)
            {
                listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
