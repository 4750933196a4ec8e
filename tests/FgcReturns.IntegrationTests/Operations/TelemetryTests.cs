using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FgcReturns.Core;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Telemetry;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Operations;

/// <summary>The portal's own metrics, read with a MeterListener from this host's meters only.</summary>
public sealed class TelemetryTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private readonly string pickup = Path.Combine(Path.GetTempPath(), "fgc-emails-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> measurements = new();
    private readonly MeterListener listener = new();
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?> { ["Email:PickupDirectory"] = pickup });
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FgcMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await factory.DisposeAsync();
        if (Directory.Exists(pickup))
        {
            Directory.Delete(pickup, recursive: true);
        }
    }

    private long Total(string instrument) => measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    [Fact]
    public async Task SaveAnAnswer_CountsOneSaveAndTheQueriesItRaisesByRuleWithNoValueInAnyTag()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var changes = new[] { new ValueChange("fgcs_held", StoredAnswer.Unanswered, StoredAnswer.Of("98765")) };

        // Act
        var saved = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, changes, ChangeSource.Form));

        // Assert
        saved.Status.ShouldBe(OutcomeStatus.Done, saved.Message);
        Total("fgc.returns.saves").ShouldBe(1);
        var raised = (await factory.OpenReturnAsync(TestData.Medway)).QueryRuleIds;
        measurements.Where(m => m.Instrument == "fgc.validation.queries_raised").Select(m => (string)m.Tags.Single().Value!).Order()
            .ShouldBe(raised.Order());
        measurements.SelectMany(m => m.Tags).ShouldAllBe(t => !(t.Value ?? "").ToString()!.Contains("98765"));
    }

    [Fact]
    public async Task SaveAWrongFigure_CountsTheErrorByRuleOnceWhileItStaysWrong()
    {
        // Arrange: more families agreed than were offered an FGC is an error.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id,
            [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("10"))], ChangeSource.Form));

        // Act: the wrong figure, then another wrong figure (the same error stays), then a right one and a wrong one again.
        foreach (var (before, after) in new[] { ((string?)null, "20"), ("20", "21"), ("21", "5"), ("5", "987") })
        {
            var from = before is null ? StoredAnswer.Unanswered : StoredAnswer.Of(before);
            var saved = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id,
                [new ValueChange("families_accepted", from, StoredAnswer.Of(after))], ChangeSource.Form));
            saved.Status.ShouldBe(OutcomeStatus.Done, saved.Message);
        }

        // Assert: each error counted when it appeared (twice: first save and after it was fixed), never while it stayed.
        var stored = await factory.OpenReturnAsync(TestData.Medway);
        stored.ErrorRuleIds.ShouldNotBeEmpty();
        var counted = measurements.Where(m => m.Instrument == "fgc.validation.errors_raised").Select(m => (string)m.Tags.Single().Value!).ToList();
        counted.Order().ShouldBe(stored.ErrorRuleIds.Concat(stored.ErrorRuleIds).Order());
        measurements.SelectMany(m => m.Tags).ShouldAllBe(t => !(t.Value ?? "").ToString()!.Contains("987"));
    }

    [Fact]
    public async Task Reminders_Sent_AreCountedByMilestone()
    {
        // Arrange: 14 days before the 2025-26 deadline, 08:00 UK time.
        factory.Clock.Set(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

        // Act
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CollectionJobs>().SendRemindersAsync(CancellationToken.None);
        }

        // Assert
        Total("fgc.reminders.sent").ShouldBe(3);
        measurements.Where(m => m.Instrument == "fgc.reminders.sent").ShouldAllBe(m => m.Tags.Single().Key == "fgc.milestone" && (int)m.Tags.Single().Value! == -14);
    }
}
