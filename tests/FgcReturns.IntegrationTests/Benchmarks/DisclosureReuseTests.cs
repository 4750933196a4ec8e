using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using FgcReturns.TestSupport;
using Npgsql;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>
/// A rebuild takes a year's suppression flags from an earlier successful build only when everything the year's
/// figures and flags come from is the same; anything else is protected and audited again, and what it publishes is
/// exactly what a build that protects every year from scratch would publish.
/// </summary>
public sealed class DisclosureReuseTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rebuild_NothingChanged_TakesEveryYearsFlagsFromTheLastBuildAndPublishesTheSameFile()
    {
        // Arrange: two years, built once from scratch.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2023);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var first = await BuildAsync(host);
        var firstCsv = await OpenDataAsync(host);

        // Act
        var again = await BuildAsync(host);

        // Assert: no year was protected again, each took the first build's flags, and the reader's file is the same.
        again.Steps.Select(s => s.Step).ShouldContain("Disclosure inputs (2 of 2 collections unchanged)");
        again.Steps.Select(s => s.Step).ShouldNotContain("Secondary suppression");
        (await ReusedFromAsync(host, again)).Values.ShouldAllBe(from => from == first.BuildId);
        (await FlagsAsync(host, again)).ShouldBe(await FlagsAsync(host, first));
        (await SecondaryCountAsync(host, again)).ShouldBeGreaterThan(0);
        (await OpenDataAsync(host)).ShouldBe(firstCsv);
    }

    [Fact]
    public async Task Rebuild_OneReturnChanged_ProtectsThatYearAgainAndPublishesWhatABuildFromScratchWould()
    {
        // Arrange: two years built; then one LA's 2024 count becomes a small one.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var older = await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2023);
        var changed = await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var first = await BuildAsync(host);
        await host.ExecuteAsync($$"""
            UPDATE returns SET "values" = jsonb_set("values", '{families_offered}', to_jsonb('3'::text))
            WHERE collection_id = {{changed}} AND la_code = '{{TestData.Medway}}'
            """);

        // Act: a rebuild that may reuse, then a build that protects every year from scratch.
        var rebuilt = await BuildAsync(host);
        host.Get<BenchmarkOptions>().ReuseUnchangedDisclosure = false;
        var scratch = await BuildAsync(host);

        // Assert: 2023 came from the first build, 2024 was protected and audited again; both builds hide the same cells.
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure inputs (1 of 2 collections unchanged)");
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure audit");
        var reused = await ReusedFromAsync(host, rebuilt);
        reused[older].ShouldBe(first.BuildId);
        reused[changed].ShouldBeNull();
        (await ReusedFromAsync(host, scratch)).Values.ShouldAllBe(from => from == null);
        var flags = await FlagsAsync(host, rebuilt);
        flags.ShouldBe(await FlagsAsync(host, scratch));
        flags.ShouldContain($"la {changed} {TestData.Medway} families_offered");
    }

    [Theory]
    [InlineData("a statistical neighbour", "UPDATE statistical_neighbours SET neighbour_la_code = (SELECT min(code) FROM local_authorities WHERE code NOT IN (SELECT neighbour_la_code FROM statistical_neighbours WHERE la_code = '887') AND code <> '887') WHERE la_code = '887' AND rank = 10")]
    [InlineData("an LA's region", "UPDATE local_authorities SET region_code = (SELECT min(region_code) FROM local_authorities WHERE region_code <> (SELECT region_code FROM local_authorities WHERE code = '887')) WHERE code = '887'")]
    [InlineData("a population", "UPDATE child_populations SET population = population + 1 WHERE la_code = '887'")]
    [InlineData("the suppression threshold", "")]
    public async Task Rebuild_SharedInputChanged_ProtectsEveryYearAgain(string what, string sql)
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2023);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        await BuildAsync(host);
        if (sql.Length > 0)
        {
            await host.ExecuteAsync(sql);
        }
        else
        {
            host.Get<BenchmarkOptions>().SuppressionThreshold = 5;
        }

        // Act
        var rebuilt = await BuildAsync(host);

        // Assert
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure inputs (0 of 2 collections unchanged)", what);
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure audit", what);
        (await ReusedFromAsync(host, rebuilt)).Values.ShouldAllBe(from => from == null, what);
    }

    [Fact]
    public async Task Rebuild_TheBuildWithTheSameInputsDidNotSucceed_ProtectsAgainInsteadOfTakingItsFlags()
    {
        // Arrange: a build with the same inputs that counts as failed (as one that failed after its disclosure step would).
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var first = await BuildAsync(host);
        await host.ExecuteAsync($"UPDATE benchmark_builds SET status = 'Failed' WHERE id = {first.BuildId}");

        // Act
        var rebuilt = await BuildAsync(host);

        // Assert
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure inputs (0 of 1 collections unchanged)");
        rebuilt.Steps.Select(s => s.Step).ShouldContain("Disclosure audit");
        (await ReusedFromAsync(host, rebuilt)).Values.ShouldAllBe(from => from == null);
    }

    private static async Task<BenchmarkBuildResult> BuildAsync(BenchmarkTestHost host)
    {
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        return build;
    }

    private static async Task<byte[]> OpenDataAsync(BenchmarkTestHost host) =>
        (await host.Get<BenchmarkExports>().OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct))!.Content;

    /// <summary>Every hidden LA value and every area row's suppressed statistics, by key, in order.</summary>
    private static async Task<List<string>> FlagsAsync(BenchmarkTestHost host, BenchmarkBuildResult build) => await QueryAsync(host, build, """
        SELECT 'la ' || collection_id || ' ' || la_code || ' ' || measure_key FROM benchmark_la_values WHERE build_id = @build_id AND suppressed
        UNION ALL
        SELECT 'area ' || collection_id || ' ' || measure_key || ' ' || area_level || ' ' || area_code || ' ' || suppressed_statistics
        FROM benchmark_area_values WHERE build_id = @build_id AND suppressed_statistics <> 0
        ORDER BY 1
        """, r => r.GetString(0));

    private static async Task<int> SecondaryCountAsync(BenchmarkTestHost host, BenchmarkBuildResult build) => (await QueryAsync(host, build,
        "SELECT count(*)::int FROM benchmark_la_values WHERE build_id = @build_id AND suppressed AND NOT small", r => r.GetInt32(0))).Single();

    private static async Task<Dictionary<int, long?>> ReusedFromAsync(BenchmarkTestHost host, BenchmarkBuildResult build) => (await QueryAsync(host, build,
        "SELECT collection_id, reused_from_build_id FROM benchmark_disclosure_inputs WHERE build_id = @build_id",
        r => (r.GetInt32(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1)))).ToDictionary(x => x.Item1, x => x.Item2);

    private static async Task<List<T>> QueryAsync<T>(BenchmarkTestHost host, BenchmarkBuildResult build, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("build_id", build.BuildId!.Value);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
