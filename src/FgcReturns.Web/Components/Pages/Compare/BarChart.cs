using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace FgcReturns.Web.Components.Pages.Compare;

/// <summary>One bar: a label, a value (or a GSS symbol when there is none) and whether it is the LA being compared.</summary>
public sealed record Bar(string Label, decimal? Value, string Text, bool Highlighted);

/// <summary>
/// A horizontal bar chart as inline SVG, readable without colour: the highlighted bar is hatched with a thick
/// outline and its label is bold and marked, every bar has its value written beside it, and bars without a value
/// say why (c, x or z). The page shows the same data as a table beneath, so the chart itself is hidden from
/// screen readers apart from its title.
/// </summary>
public static class BarChart
{
    public static MarkupString Render(string id, string title, IReadOnlyList<Bar> bars)
    {
        const int labelWidth = 230, barArea = 330, valueWidth = 90, rowHeight = 26, top = 8;
        var width = labelWidth + barArea + valueWidth;
        var height = top + (bars.Count * rowHeight) + 8;
        var max = bars.Where(b => b.Value is > 0).Select(b => b.Value!.Value).DefaultIfEmpty(1m).Max();
        var svg = new StringBuilder();
        // Drawn at its natural size, so its 14px text never shrinks on a narrow screen (it became about 6px at 320px);
        // on a narrow screen the chart scrolls inside its own labelled container instead of the page scrolling.
        svg.Append(CultureInfo.InvariantCulture, $"<div class=\"fgc-scroll\" role=\"region\" aria-label=\"{Encode(title)}, chart\" tabindex=\"0\">");
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"fgc-chart\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(title)} (the table below has the same data)</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<defs><pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/><rect width=\"4\" height=\"8\" fill=\"#0b0c0c\"/></pattern></defs>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + (i * rowHeight);
            var label = bar.Highlighted ? bar.Label + " (this LA)" : bar.Label;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"14\" font-family=\"inherit\" fill=\"#0b0c0c\"{(bar.Highlighted ? " font-weight=\"bold\"" : "")}>{Encode(Truncate(label, 32))}</text>");
            var length = bar.Value is > 0 ? (double)(bar.Value.Value / max) * (barArea - 10) : 0;
            if (length > 0)
            {
                var fill = bar.Highlighted ? $"url(#{id}-hatch)" : "#1d70b8";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 4}\" width=\"{length:0.#}\" height=\"{rowHeight - 8}\" fill=\"{fill}\" stroke=\"#0b0c0c\" stroke-width=\"{(bar.Highlighted ? 3 : 1)}\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 6:0.#}\" y=\"{y + 17}\" font-size=\"14\" font-family=\"inherit\" fill=\"#0b0c0c\"{(bar.Highlighted ? " font-weight=\"bold\"" : "")}>{Encode(bar.Text)}</text>");
        }

        svg.Append("</svg></div>");
        return new MarkupString(svg.ToString());
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
