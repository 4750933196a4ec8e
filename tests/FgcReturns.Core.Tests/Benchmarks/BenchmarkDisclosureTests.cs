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
}
