using System.Diagnostics;
using System.Reflection;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>A build whose database session dies: detected at once, marked failed, the next build runs at once.</summary>
public sealed class BenchmarkBuildFaultTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_LockHoldingSessionTerminatedMidBuild_IsFailedAndTheNextBuildSucceedsWithin30Seconds()
    {
        // Arrange: a good build; then the next build is slowed down inside its partitions so it can be killed mid-way.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection, [(TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10")))]);
        var good = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await host.ExecuteAsync("""
            CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;
            CREATE TRIGGER test_slow BEFORE INSERT ON benchmark_area_values FOR EACH STATEMENT EXECUTE FUNCTION test_slow();
            """);

        // Act: start the build, kill the session holding the build lock while it runs.
        var interrupted = Task.Run(() => host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct), Ct);
        var holder = await WaitForLockHolderAsync(host.ConnectionString);
        await host.ExecuteAsync($"SELECT pg_terminate_backend({holder})");
        var killed = await interrupted;
        await host.ExecuteAsync("DROP TRIGGER test_slow ON benchmark_area_values");
        await host.AddReturnsAsync(collection, [("888", ReturnStatus.Accepted, Values(("referrals_children", "20")))]);
        var clock = Stopwatch.StartNew();
        var next = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var nextTook = clock.Elapsed;

        // Assert: the killed build is failed (not left Running), the previous build stayed current until the next one.
        killed.Outcome.ShouldBe(BuildOutcome.Failed);
        await using var db = host.CreateDb();
        var killedRow = await db.Set<BenchmarkBuild>().SingleAsync(b => b.Id == killed.BuildId, Ct);
        killedRow.Status.ShouldBe(BenchmarkBuildStatus.Failed);
        killedRow.IsCurrent.ShouldBeFalse();
        (await db.Set<BenchmarkLaValue>().CountAsync(v => v.BuildId == killed.BuildId, Ct)).ShouldBe(0);
        next.Outcome.ShouldBe(BuildOutcome.Succeeded);
        nextTook.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        var current = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final), Ct))!;
        current.Build.Id.ShouldBe(next.BuildId!.Value);
        current.AreaValue(collection, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(30m);
        good.Outcome.ShouldBe(BuildOutcome.Succeeded);
    }

    [Fact]
    public async Task RecentBuilds_RunningBuildWhoseSessionHasGone_IsShownFailedAtOnce()
    {
        // Arrange: a build left Running by a process that died (no session holds the build lock).
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await host.ExecuteAsync("""
            INSERT INTO benchmark_builds (survey_id, kind, status, is_current, trigger, started_at, series_version,
                suppression_threshold, collection_count, return_count, measure_count, la_row_count, area_row_count)
            VALUES ('fgc-annual', 'Final', 'Running', false, 'OnDemand', now(), '1.0', 4, 0, 0, 0, 0, 0)
            """);

        // Act
        var builds = await host.Reader.RecentBuildsAsync(ct: Ct);

        // Assert
        builds.ShouldHaveSingleItem().Status.ShouldBe(BenchmarkBuildStatus.Failed);
        builds[0].Error.ShouldNotBeNull().ShouldContain("stopped");
    }

    [Fact]
    public async Task RecentBuilds_RunningBuildWhoseSessionHoldsTheLock_StaysRunning()
    {
        // Arrange: a live holder of the build lock and its Running build.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await using var holder = new NpgsqlConnection(host.ConnectionString);
        await holder.OpenAsync(Ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(1179075394, 1)", holder))
        {
            await take.ExecuteScalarAsync(Ct);
        }

        await host.ExecuteAsync("""
            INSERT INTO benchmark_builds (survey_id, kind, status, is_current, trigger, started_at, series_version,
                suppression_threshold, collection_count, return_count, measure_count, la_row_count, area_row_count)
            VALUES ('fgc-annual', 'Final', 'Running', false, 'OnDemand', now(), '1.0', 4, 0, 0, 0, 0, 0)
            """);

        // Act
        var builds = await host.Reader.RecentBuildsAsync(ct: Ct);

        // Assert
        builds.ShouldHaveSingleItem().Status.ShouldBe(BenchmarkBuildStatus.Running);
    }

    [Fact]
    public void BenchmarkJobs_EveryJob_HasNoHangfireDistributedLockThatOutlivesACrashedHolder()
    {
        // A DisableConcurrentExecution lock stays taken for its timeout after the holder dies; the advisory lock does not.
        var locked = typeof(BenchmarkJobs).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "DisableConcurrentExecutionAttribute"))
            .Select(m => m.Name);

        locked.ShouldBeEmpty();
    }

    private static async Task<int> WaitForLockHolderAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT l.pid FROM pg_locks l
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 1179075394 AND l.objid = 1
                  -- This test's database only: other test classes build in their own databases on the same server.
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND EXISTS (SELECT 1 FROM benchmark_builds WHERE status = 'Running')
                """, connection);
            if (await command.ExecuteScalarAsync(Ct) is int pid)
            {
                return pid;
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException("No session took the benchmark build lock and started a build.");
    }

    private static Dictionary<string, string?> Values(params (string Key, string? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
}
