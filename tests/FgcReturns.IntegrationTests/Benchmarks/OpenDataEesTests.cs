using System.Globalization;
using System.Text;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task OpenData_DemoLikeBuild_OutcomesAreBreakdownRowsAndLaQuartilesAreTheBuildsOwn()
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var (data, _, buildId) = await ProduceAsync(host);
        await using var db = host.CreateDb();
        var england = await db.Set<BenchmarkAreaValue>().Where(a => a.BuildId == buildId && a.AreaLevel == AreaLevel.National)
            .ToDictionaryAsync(a => a.MeasureKey, Ct);

        // Act: read the file as a reader would, one row per place and filter.
        var rows = DisclosureBuildTests.ReadCsv(Encoding.UTF8.GetBytes(data));
        var national = rows.Where(r => r["geographic_level"] == "National").ToList();
        var outcomeRows = national.Where(r => r["breakdown_topic"] == "Outcomes for children").ToList();

        // Assert: the four living arrangements are breakdown rows of children whose family had an FGC, not columns of
        // their own, and add up to its Total row; proceedings issued (a separate count) stays an indicator.
        rows[0].Keys.ShouldNotContain("outcome_with_parents");
        rows[0].Keys.ShouldContain("outcome_proceedings_issued");
        outcomeRows.Select(r => r["breakdown"]).ShouldBe(
            ["Children living with their parents", "Children living with family or friends", "Children who became looked after after the FGC", "Children whose outcome is not known"],
            ignoreOrder: true);
        foreach (var (label, key) in new[] { ("Children living with their parents", "outcome_with_parents"), ("Children whose outcome is not known", "outcome_not_known") })
        {
            outcomeRows.Single(r => r["breakdown"] == label)["children_in_fgcs"]
                .ShouldBe(england[key].Total!.Value.ToString("F0", CultureInfo.InvariantCulture));
        }

        var total = national.Single(r => r["breakdown_topic"] == "Total")["children_in_fgcs"];
        outcomeRows.Sum(r => decimal.Parse(r["children_in_fgcs"], CultureInfo.InvariantCulture)).ShouldBe(decimal.Parse(total, CultureInfo.InvariantCulture));

        // The median and quartiles of LAs' rates, in their own columns on area rows, as the build computed them (c where the
        // build suppressed one because it would land on a suppressed LA's rate).
        var rate = england["looked_after_after_fgc_rate"];
        var totalRow = national.Single(r => r["breakdown_topic"] == "Total");
        string Expected(decimal? value, SuppressedStatistics flag) =>
            rate.SuppressedStatistics.HasFlag(flag) ? "c" : value!.Value.ToString("F1", CultureInfo.InvariantCulture);
        totalRow["looked_after_after_fgc_rate_la_lower_quartile"].ShouldBe(Expected(rate.LowerQuartile, SuppressedStatistics.LowerQuartile));
        totalRow["looked_after_after_fgc_rate_la_median"].ShouldBe(Expected(rate.Median, SuppressedStatistics.Median));
        totalRow["looked_after_after_fgc_rate_la_upper_quartile"].ShouldBe(Expected(rate.UpperQuartile, SuppressedStatistics.UpperQuartile));
        national.Where(r => r["breakdown_topic"] == "Total").SelectMany(r => r.Where(c => c.Key.EndsWith("_la_median", StringComparison.Ordinal)).Select(c => c.Value))
            .Count(v => decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out _)).ShouldBeGreaterThan(3);
        rows.Where(r => r["geographic_level"] == "Local authority").Select(r => r["looked_after_after_fgc_rate_la_median"]).Distinct().ShouldBe(["z"]);
    }

    private async Task<(string Data, string Meta)> ProduceAsync()
    {
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var (data, meta, _) = await ProduceAsync(host);
        return (data, meta);
    }

    private static async Task<(string Data, string Meta, long BuildId)> ProduceAsync(BenchmarkTestHost host)
    {
        await DisclosureBuildTests.AddDemoLikeYearAsync(host, 2024);
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var exports = host.Get<BenchmarkExports>();
        var data = await exports.OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct);
        var meta = await exports.OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: true, ct: Ct);
        return (Encoding.UTF8.GetString(data!.Content), Encoding.UTF8.GetString(meta!.Content), build.BuildId!.Value);
    }
}
