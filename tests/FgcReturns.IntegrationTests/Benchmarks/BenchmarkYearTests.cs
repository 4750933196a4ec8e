using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>Which year pages and downloads open on: from the build shown, and only a year that meets coverage.</summary>
public sealed class BenchmarkYearTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_NewYearWithOneAcceptedReturn_OpensOnTheLatestYearThatMeetsCoverage()
    {
        // Arrange: 2023-24 from every LA; 2024-25 from Medway alone.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var full = await host.AddCollectionAsync(2023, "1.0");
        var thin = await host.AddCollectionAsync(2024, "1.0");
        var las = await AllLasAsync(host);
        await host.AddReturnsAsync(full, las.Select(code => (code, ReturnStatus.Accepted, (IReadOnlyDictionary<string, string?>)Referrals(20))));
        await host.AddReturnsAsync(thin, [(TestData.Medway, ReturnStatus.Accepted, Referrals(30))]);
        await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Act
        var s = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, FocusLa: TestData.Medway), Ct))!;
        var chosen = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, CollectionId: thin), Ct))!;

        // Assert: the default is the full year; the thin year, when picked, says it is provisional and has no England figure.
        s.Collection.Id.ShouldBe(full);
        s.Collection.ProvisionalLabel.ShouldBeNull();
        chosen.Collection.ProvisionalLabel.ShouldBe("provisional, based on 1 of 153 LAs");
        var england = chosen.AreaValue(thin, "referrals_children", AreaLevel.National, "E92000001");
        DisclosureControl.Area(england, MeasureKind.Count, DisclosureControl.Statistic.Total, chosen.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("x");
        var fullEngland = s.AreaValue(full, "referrals_children", AreaLevel.National, "E92000001");
        DisclosureControl.Area(fullEngland, MeasureKind.Count, DisclosureControl.Statistic.Total, s.Threshold, DisclosureView.Suppressed).Number.ShouldBe(20m * las.Count);
    }

    [Fact]
    public async Task Load_ReturnAcceptedAfterTheBuild_YearComesFromTheBuildNotFromLiveStatuses()
    {
        // Arrange: a build of 2023-24; then a 2024-25 return is accepted, and no build has run since.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var built = await host.AddCollectionAsync(2023, "1.0");
        var later = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(built, [(TestData.Medway, ReturnStatus.Accepted, Referrals(20)), ("855", ReturnStatus.Accepted, Referrals(25))]);
        await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await host.AddReturnsAsync(later, [(TestData.Medway, ReturnStatus.Accepted, Referrals(30))]);

        // Act
        var s = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, FocusLa: TestData.Medway), Ct))!;

        // Assert: the page opens on the year the build has figures for, not on an empty 2024-25.
        s.Collection.Id.ShouldBe(built);
        s.LaValue(built, TestData.Medway, "referrals_children")!.Value.ShouldBe(20m);
    }

    private static Dictionary<string, string?> Referrals(int n) =>
        new(StringComparer.Ordinal) { ["referrals_children"] = n.ToString(CultureInfo.InvariantCulture) };

    private static async Task<List<string>> AllLasAsync(BenchmarkTestHost host)
    {
        await using var db = host.CreateDb();
        return await db.LocalAuthorities.OrderBy(l => l.Code).Select(l => l.Code).ToListAsync(Ct);
    }
}
