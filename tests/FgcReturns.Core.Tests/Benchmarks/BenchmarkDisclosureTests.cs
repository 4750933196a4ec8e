using System.Diagnostics;
using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Tests.SurveyDefinitions;

namespace FgcReturns.Core.Tests.Benchmarks;

/// <summary>Disclosure control of a whole representative year (153 real LAs, the demo's synthetic returns).</summary>
public class BenchmarkDisclosureTests
{
    /// <summary>
    /// The most secondary suppression may hide of the LA values it could hide (published counts and rates) in the
    /// representative year. Before the fix it hid 4,475 of 8,568 (52%); after it, about 400 (4.7%).
    /// </summary>
    private const double MaximumSecondaryShare = 0.06;

    [Fact]
    public void Protect_RepresentativeYear_NothingRecoverableAndSecondarySuppressionHidesLittle()
    {
        // Arrange
        var data = DemoDisclosureData.Create(TestDefinitions.Fgc10);
        var watch = Stopwatch.StartNew();

        // Act
        var left = BenchmarkDisclosure.Protect([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true,
            minimumNationalLas: 115, minimumAreaLas: 3);
        var protectMs = watch.ElapsedMilliseconds;
        var audited = BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues);

        // Assert
        var protectable = data.LaValues.Count(v => v.State == ValueState.Value && v.Value is not null
            && data.Collection.Measures.Single(m => m.MeasureKey == v.MeasureKey).Kind != nameof(MeasureKind.Decimal));
        var primary = data.LaValues.Count(v => v.Small);
        var secondary = data.LaValues.Count(v => v.Suppressed && !v.Small);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{data.LaValues.Count} LA values ({protectable} counts and rates with a value): {primary} primary, {secondary} secondary ({(double)secondary / protectable:P1}); {data.AreaValues.Count(a => a.Suppressed != SuppressedStatistics.None)} area rows with a statistic suppressed; protect {protectMs} ms");
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        left.ShouldBeEmpty();
        audited.ShouldBeEmpty();
        ((double)secondary / protectable).ShouldBeLessThanOrEqualTo(MaximumSecondaryShare, figures);
    }

    [Fact]
    public void ProtectForAudit_FlagClearedAfterProtection_AuditOnTheSharedModelReportsItAndTheLeakItOpens()
    {
        // Arrange: the build audits the models protection used (not a model rebuilt from the flags), so it must still
        // see a flag that was changed after protection, and what a reader then works out from the cell shown.
        var data = DemoDisclosureData.Create(TestDefinitions.Fgc10);
        var protectedBuild = BenchmarkDisclosure.ProtectForAudit([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4,
            secondary: true, minimumNationalLas: 115, minimumAreaLas: 3);
        protectedBuild.Left.ShouldBeEmpty();
        protectedBuild.Audit().ShouldBeEmpty();
        var complement = data.LaValues.First(v => v.Suppressed && !v.Small && data.Collection.Measures.Single(m => m.MeasureKey == v.MeasureKey).Kind == nameof(MeasureKind.Count));

        // Act
        complement.Suppressed = false;
        var audited = protectedBuild.Audit();

        // Assert
        audited.ShouldContain(r => r.Cell == $"{complement.LaCode} {complement.MeasureKey}" && r.Relation.Contains("flag differs", StringComparison.Ordinal));
        BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues).ShouldNotBeEmpty(); // the rebuilt audit agrees: it leaks
    }

    [Fact]
    public void Protect_DemoSeedersYear_EnglandMedianAndQuartilesOfAcceptanceRateArePublishedAndNothingIsRecoverable()
    {
        // Arrange: the demo's own 2024-25 returns (DemoCollectionSeeder seeds each with its LA code). Before secondary
        // suppression was made lighter it hid 116 of the 153 acceptance rates, and with them England's median and quartiles.
        var data = DemoDisclosureData.Create(TestDefinitions.Fgc10, seedOffset: 0);

        // Act
        var left = BenchmarkDisclosure.Protect([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true,
            minimumNationalLas: 115, minimumAreaLas: 3);
        var audited = BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues);

        // Assert
        left.ShouldBeEmpty();
        audited.ShouldBeEmpty();
        var england = data.AreaValues.Single(a => a.MeasureKey == "acceptance_rate" && a.Level == AreaLevel.National);
        (england.Suppressed & (SuppressedStatistics.Median | SuppressedStatistics.LowerQuartile | SuppressedStatistics.UpperQuartile | SuppressedStatistics.Rate))
            .ShouldBe(SuppressedStatistics.None);
    }

    [Fact]
    public void Protect_DemoSeedersYear_EnglandMedianOfACountSharedWithPublishedLasIsShown()
    {
        // Arrange: children aged 10 to 15 in FGCs: England's median (7) and lower quartile (5) are values that many LAs
        // share; one LA at the position being suppressed does not make the statistic its figure.
        var data = DemoDisclosureData.Create(TestDefinitions.Fgc10, seedOffset: 0);

        // Act
        BenchmarkDisclosure.Protect([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true,
            minimumNationalLas: 115, minimumAreaLas: 3);
        var audited = BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues);

        // Assert
        audited.ShouldBeEmpty();
        var england = data.AreaValues.Single(a => a.MeasureKey == "children_by_age.age_10_to_15" && a.Level == AreaLevel.National);
        england.Suppressed.HasFlag(SuppressedStatistics.Median).ShouldBeFalse(england.Suppressed.ToString());
        england.Suppressed.HasFlag(SuppressedStatistics.LowerQuartile).ShouldBeFalse(england.Suppressed.ToString());
    }

    [Fact]
    public void Protect_MedianAtASuppressedRateTiedWithAPublishedOne_IsShown()
    {
        // Arrange: LA 1 accepted 3 of 5 families (60%, suppressed); LA 3 accepted 12 of 20 (60%, published). The
        // median sits between them: 60%, whichever of the two is at the position.
        var data = SmallArea((3, 5), (10, 20), (12, 20), (14, 20), (16, 20), (9, 20));

        // Act
        BenchmarkDisclosure.Protect([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true);
        var audited = BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues);

        // Assert: it says nothing about LA 1's rate beyond how many suppressed rates lie above or below 60%.
        var states = string.Join(", ", data.LaValues.Where(v => v.MeasureKey == "acceptance_rate").Select(v => $"{v.LaCode} {v.Value:0.#}{(v.Suppressed ? " c" : "")}"));
        audited.ShouldBeEmpty();
        data.LaValues.Single(v => v.LaCode == "001" && v.MeasureKey == "acceptance_rate").Suppressed.ShouldBeTrue(states);
        data.LaValues.Single(v => v.LaCode == "003" && v.MeasureKey == "acceptance_rate").Suppressed.ShouldBeFalse(states);
        foreach (var level in new[] { AreaLevel.National, AreaLevel.Regional })
        {
            var area = data.AreaValues.Single(a => a.MeasureKey == "acceptance_rate" && a.Level == level);
            area.Suppressed.HasFlag(SuppressedStatistics.Median).ShouldBeFalse(level + ": " + area.Suppressed + "; " + states);
        }
    }

    [Fact]
    public void Protect_MedianFromASuppressedRateNoPublishedLaShares_IsSuppressed()
    {
        // Arrange: LA 1 accepted 3 of 4 (75%, suppressed); the median interpolates between 70% and LA 1's 75%.
        var data = SmallArea((3, 4), (10, 20), (12, 20), (14, 20), (16, 20), (18, 20));

        // Act
        BenchmarkDisclosure.Protect([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true);
        var audited = BenchmarkDisclosure.Audit([data.Collection], data.Las, data.LaValues, data.AreaValues);

        // Assert
        audited.ShouldBeEmpty();
        foreach (var level in new[] { AreaLevel.National, AreaLevel.Regional })
        {
            var area = data.AreaValues.Single(a => a.MeasureKey == "acceptance_rate" && a.Level == level);
            area.Suppressed.HasFlag(SuppressedStatistics.Median).ShouldBeTrue(level.ToString());
            area.Suppressed.HasFlag(SuppressedStatistics.UpperQuartile).ShouldBeTrue(level.ToString());
        }
    }

    [Fact]
    public void ProtectForAudit_LaAtTheMedianHiddenAfterProtection_AuditOnTheSharedModelReportsTheMedian()
    {
        // Arrange: rates 50%, 60%, 70%, 80%, 90%, nothing small, so nothing is hidden. The models keep each area's LAs
        // in order from protection to the audit; the suppression flags must still be read when the audit runs.
        var data = SmallArea((10, 20), (12, 20), (14, 20), (16, 20), (18, 20));
        var protectedBuild = BenchmarkDisclosure.ProtectForAudit([data.Collection], data.Las, data.LaValues, data.AreaValues, threshold: 4, secondary: true);
        protectedBuild.Audit().ShouldBeEmpty();
        var median = data.LaValues.Single(v => v.LaCode == "003" && v.MeasureKey == "acceptance_rate");

        // Act
        median.Suppressed = true;
        var audited = protectedBuild.Audit();

        // Assert
        var relations = audited.Where(r => r.Cell == "2024-25 003 acceptance_rate").Select(r => r.Relation).ToList();
        relations.ShouldContain("Median of National E92000001");
        relations.ShouldContain("Median of Regional E12000008");
        relations.ShouldNotContain(r => r.Contains("Quartile", StringComparison.Ordinal), string.Join("; ", relations));
        audited.Single(r => r.Relation == "Median of National E92000001").Value.ShouldBe(70m);
    }

    /// <summary>
    /// One region holding every LA (so England is the region too), families offered and accepted and the acceptance
    /// rate, aggregated as the build does; counts 1 to 4 are small.
    /// </summary>
    private static DemoDisclosureData SmallArea(params (int Accepted, int Offered)[] las)
    {
        var definition = TestDefinitions.Fgc10;
        var measures = BenchmarkMeasures.For(1, definition, definition)
            .Where(m => m.MeasureKey is "families_offered" or "families_accepted" or "acceptance_rate").ToList();
        var laValues = new List<DisclosureLaValue>();
        for (var i = 0; i < las.Length; i++)
        {
            var code = (i + 1).ToString("000", CultureInfo.InvariantCulture);
            var (accepted, offered) = las[i];
            laValues.Add(new DisclosureLaValue { CollectionId = 1, LaCode = code, MeasureKey = "families_offered", State = ValueState.Value, Value = offered, Small = offered <= 4 });
            laValues.Add(new DisclosureLaValue { CollectionId = 1, LaCode = code, MeasureKey = "families_accepted", State = ValueState.Value, Value = accepted, Small = accepted <= 4 });
            laValues.Add(new DisclosureLaValue
            {
                CollectionId = 1,
                LaCode = code,
                MeasureKey = "acceptance_rate",
                State = ValueState.Value,
                Value = Math.Round((decimal)accepted / offered * 100m, 10),
                Denominator = offered,
                Small = accepted <= 4 || offered <= 4,
            });
        }

        var areaValues = new List<DisclosureAreaValue>();
        foreach (var (level, code) in new[] { (AreaLevel.National, "E92000001"), (AreaLevel.Regional, "E12000008") })
        {
            foreach (var m in measures)
            {
                var values = laValues.Where(v => v.MeasureKey == m.MeasureKey).ToList();
                var isRate = m.MeasureKey == "acceptance_rate";
                var accepted = laValues.Where(v => v.MeasureKey == "families_accepted").Sum(v => v.Value!.Value);
                var offered = laValues.Where(v => v.MeasureKey == "families_offered").Sum(v => v.Value!.Value);
                areaValues.Add(new DisclosureAreaValue
                {
                    CollectionId = 1,
                    MeasureKey = m.MeasureKey,
                    Level = level,
                    AreaCode = code,
                    ReportingCount = values.Count,
                    Total = isRate ? null : values.Sum(v => v.Value!.Value),
                    Mean = Math.Round(values.Average(v => v.Value!.Value), 10),
                    NumeratorTotal = isRate ? accepted : null,
                    DenominatorTotal = isRate ? offered : null,
                    Rate = isRate ? Math.Round(accepted / offered * 100m, 10) : null,
                });
            }
        }

        return new DemoDisclosureData
        {
            Collection = new DisclosureCollection(1, "2024-25", definition, measures),
            Las = [.. laValues.Select(v => v.LaCode).Distinct().Select(c => new DisclosureLa(c, "E12000008", []))],
            LaValues = laValues,
            AreaValues = areaValues,
        };
    }
}
