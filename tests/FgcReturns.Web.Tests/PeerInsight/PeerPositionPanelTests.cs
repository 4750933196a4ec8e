using Bunit;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.PeerInsight;
using FgcReturns.TestSupport;
using FgcReturns.Web.Components.PeerInsight;

namespace FgcReturns.Web.Tests.PeerInsight;

/// <summary>The "where you would sit" panel: a sentence per indicator, a chart with a text alternative, and the same figures in a table.</summary>
public sealed class PeerPositionPanelTests : BunitContext
{
    private static PeerPositionRow Row(string key, string label, decimal? value, Figure median, Figure lower, Figure upper, Figure region, Figure neighbours, PeerBand? band)
    {
        var row = new PeerPositionRow(key, label, "% of families offered", 100m, value, median, lower, upper, region, neighbours, band, "");
        return row with { Sentence = PeerPositionService.Sentence(row, "last year") };
    }

    private static PeerPosition Position() => new(TestData.PreviousPeriod, "South East",
    [
        Row("acceptance_rate", "Families who agreed to an FGC", 12m, Figure.Of(61m), Figure.Of(48.5m), Figure.Of(70m), Figure.Of(58m), Figure.Suppressed, PeerBand.LowestQuarter),
        Row("conversion_rate", "Agreed FGCs that were held", null, Figure.Of(90m), Figure.Suppressed, Figure.Of(96m), Figure.NotAvailable, Figure.Of(88m), null),
    ]);

    [Fact]
    public void Render_Position_TableCarriesTheSameFiguresAsTheSentencesAndCharts()
    {
        var cut = Render<PeerPositionPanel>(p => p.Add(x => x.Position, Position()));

        var cells = cut.FindAll("[data-key='acceptance_rate'] td").Select(td => td.TextContent.Trim()).ToList();
        cells.ShouldBe(["12%", "61%", "49% to 70%", "58%", "c", "Lowest quarter"]);
        cut.FindAll("[data-key='conversion_rate'] td").Select(td => td.TextContent.Trim())
            .ShouldBe(["not available", "90%", "c to 96%", "x", "88%", "Not placed"]);
        cut.FindAll("[data-testid='peer-sentences'] li").Select(li => li.TextContent).ShouldBe([
            "Families who agreed to an FGC: yours would be 12%, lower than three quarters of local authorities last year (England median 61%).",
            "Agreed FGCs that were held: not available from your answers yet."]);
    }

    [Fact]
    public void Render_Position_ChartHasTheSentenceAsItsTextAlternativeAndShowsSuppressedAsC()
    {
        var cut = Render<PeerPositionPanel>(p => p.Add(x => x.Position, Position()));

        var chart = cut.Find("[data-testid='peer-chart'] svg");
        chart.GetAttribute("role").ShouldBe("img");
        chart.GetAttribute("aria-label").ShouldBe(
            "Families who agreed to an FGC: yours would be 12%, lower than three quarters of local authorities last year (England median 61%).");
        chart.QuerySelectorAll("text").Select(t => t.TextContent).ShouldBe(["Yours", "12%", "England", "61%", "South East", "58%", "Neighbours", "c"]);
        chart.QuerySelectorAll("rect").Length.ShouldBe(3);
        cut.FindAll("[data-testid='peer-chart']").Count.ShouldBe(1, "no chart for an indicator the answers do not give yet");
    }

    [Fact]
    public void Render_NoFinalBenchmark_SaysSoInsteadOfFigures()
    {
        var cut = Render<PeerPositionPanel>(p => p.Add(x => x.Position, null));

        cut.Find("h2").TextContent.ShouldBe("Where you would sit");
        cut.Markup.ShouldContain("There is no final benchmark from an earlier year yet");
        cut.FindAll("table").ShouldBeEmpty();
    }
}
