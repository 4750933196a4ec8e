using System.Text;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>The open data as the portal produces it from a demo-like build, put through the EES screener's rules.</summary>
public sealed class OpenDataEesTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenData_DemoLikeBuild_PassesTheEesScreenerRules()
    {
        // Arrange
        var (data, meta) = await ProduceAsync();

        // Act
        var failures = EesScreener.Check(data, meta);

        // Assert: nothing fails, and the file is tidy (breakdowns are filter rows with a Total).
        failures.ShouldBeEmpty();
        var header = data[..data.IndexOf('\n', StringComparison.Ordinal)];
        header.ShouldStartWith("time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,breakdown,");
        header.ShouldNotContain(".");
        data.ShouldContain(",Medway,Total,Total,");
        meta.ShouldContain("breakdown,Filter,");
    }

    [Fact]
    public async Task OpenData_HandBrokenCopy_FailsTheEesScreenerRulesItBreaks()
    {
        // Arrange: a dotted column name, a blank indicator cell, a legacy symbol and an 81-character label.
        var (data, meta) = await ProduceAsync();
        var lines = data.Split('\n').ToList();
        lines[0] = lines[0].Replace("referrals_children", "referrals.children", StringComparison.Ordinal);
        lines[1] = lines[1][..lines[1].LastIndexOf(',')] + ",";
        lines[2] = lines[2][..lines[2].LastIndexOf(',')] + ",~";
        var brokenData = string.Join('\n', lines);
        var metaLines = meta.Split('\n').ToList();
        var i = metaLines.FindIndex(l => l.StartsWith("referrals_children,", StringComparison.Ordinal));
        var fields = metaLines[i].Split(',');
        fields[0] = "referrals.children";
        fields[2] = new string('a', 81);
        metaLines[i] = string.Join(',', fields);
        var brokenMeta = string.Join('\n', metaLines);

        // Act
        var failures = EesScreener.Check(brokenData, brokenMeta);

        // Assert
        failures.ShouldContain(f => f.Contains("'referrals.children' is not lower-case", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("row 2: indicator", StringComparison.Ordinal) && f.EndsWith("is '', not a number or c, x, z or low", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("row 3: indicator", StringComparison.Ordinal) && f.EndsWith("is '~', not a number or c, x, z or low", StringComparison.Ordinal));
        failures.ShouldContain(f => f.Contains("longer than 80 characters (81)", StringComparison.Ordinal));
    }

    private async Task<(string Data, string Meta)> ProduceAsync()
    {
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var exports = host.Get<BenchmarkExports>();
        var data = await exports.OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct);
        var meta = await exports.OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: true, ct: Ct);
        return (Encoding.UTF8.GetString(data!.Content), Encoding.UTF8.GetString(meta!.Content));
    }
}
