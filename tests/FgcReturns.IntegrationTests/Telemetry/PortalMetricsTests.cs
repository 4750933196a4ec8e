using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Telemetry;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Telemetry;

/// <summary>The portal's own metrics (meter FgcReturns), recorded by the real flows, with the tags an operator filters on.</summary>
public sealed class PortalMetricsTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;
    private MeterListener listener = null!;
    private readonly ConcurrentQueue<Measurement> measurements = new();

    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        _ = factory.Services.GetRequiredService<FgcMetrics>();
        listener = new MeterListener
        {
            // Only this host's meter: other test classes run hosts in the same process at the same time.
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FgcMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        await factory.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        measurements.Enqueue(new Measurement(instrument.Name, value,
            tags.ToArray().ToDictionary(t => t.Key, t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture))));

    private List<Measurement> Of(string instrument) => measurements.Where(m => m.Instrument == instrument).ToList();

    [Fact]
    public async Task SignIn_WrongPasswordsUntilLockedOut_FailuresByReasonAndOneLockout()
    {
        // Arrange
        var client = factory.CreateBrowserlessClient();

        // Act: five wrong passwords lock the account; the sixth attempt meets the lock; one unknown address.
        for (var i = 0; i < 6; i++)
        {
            await client.SignInAsync(TestData.Users.LeicesterLead, "not-the-password");
        }

        await client.SignInAsync("nobody@fgc.example", "whatever-it-is");

        // Assert
        var failures = Of("fgc.sign_in.failures");
        failures.ShouldAllBe(m => m.Tags["fgc.method"] == FgcMetrics.Password);
        failures.Select(m => m.Tags["fgc.reason"]).ShouldBe(
            ["wrong-password", "wrong-password", "wrong-password", "wrong-password", "locked-out", "locked-out", "unknown-or-inactive"]);
        Of("fgc.sign_in.lockouts").Sum(m => m.Value).ShouldBe(1);
    }

    [Fact]
    public async Task Upload_AcceptedAndRefused_CountedByOutcomeAndReason()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var files = new (string Name, string Content)[]
        {
            ("clean.csv", "item_key,value\nfamilies_offered,12\n"),
            ("bad-value.csv", "item_key,value\nfamilies_offered,twelve\n"),
            ("notes.txt", "not a spreadsheet at all"),
        };

        // Act
        foreach (var (name, content) in files)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(content);
            await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s => s.CheckAsync(lead, ret.Id, new MemoryStream(bytes), name, bytes.Length, Ct));
        }

        // Assert
        Of("fgc.uploads").Select(m => (m.Tags["fgc.outcome"], m.Tags.GetValueOrDefault("fgc.reason"))).ShouldBe(
            [("accepted", null), ("refused", "problems"), ("refused", "rejected")]);
    }

    [Fact]
    public async Task BenchmarkBuild_Succeeded_DurationAndRowsByKindAndLevel()
    {
        // Act
        var result = await factory.WithServiceAsync<BenchmarkBuilder, BenchmarkBuildResult>(b =>
            b.BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct));

        // Assert
        result.Outcome.ShouldBe(BuildOutcome.Succeeded);
        var duration = Of("fgc.benchmarks.build.duration").ShouldHaveSingleItem();
        (duration.Tags["fgc.kind"], duration.Tags["fgc.outcome"]).ShouldBe(("Final", "succeeded"));
        duration.Value.ShouldBe(result.Duration.TotalSeconds, tolerance: 0.5);
        var rows = Of("fgc.benchmarks.build.rows");
        rows.Select(r => r.Tags["fgc.level"]).ShouldBe(["la", "area"]);
        rows.ShouldAllBe(r => r.Tags["fgc.kind"] == "Final" && r.Value > 0);
    }
}
