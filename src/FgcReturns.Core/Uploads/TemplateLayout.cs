using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Uploads;

/// <summary>Where every row of the template goes, worked out before writing so totals can refer to other sheets.</summary>
internal sealed class TemplateLayout
{
    private readonly Dictionary<string, Row> _items = new(StringComparer.Ordinal);

    private TemplateLayout(IReadOnlyList<Sheet> sheets)
    {
        Sheets = sheets;
        foreach (var row in sheets.SelectMany(s => s.Rows).Where(r => r.Kind == RowKind.Item))
        {
            _items[row.ValueKey!] = row;
        }
    }

    public enum RowKind { Item, GridTotal, ExpectedTotal }

    public sealed record Row(int Number, string Sheet, RowKind Kind, Question Question, string? ValueKey, string Label, int FirstCellRow = 0, int LastCellRow = 0);

    public sealed record Sheet(string Name, Section Section, IReadOnlyList<Row> Rows)
    {
        public int LastRow => Rows.Count == 0 ? TemplateFormat.HeaderRow : Rows[^1].Number;
    }

    public IReadOnlyList<Sheet> Sheets { get; }

    public Row? Find(string valueKey) => _items.GetValueOrDefault(valueKey);

    public static TemplateLayout Build(SurveyDefinition definition)
    {
        var names = TemplateFormat.SectionSheetNames(definition);
        var sheets = new List<Sheet>();
        for (var s = 0; s < definition.Sections.Count; s++)
        {
            var section = definition.Sections[s];
            var name = names[s];
            var rows = new List<Row>();
            var next = TemplateFormat.HeaderRow + 1;
            foreach (var q in section.Questions)
            {
                if (q.Grid is null)
                {
                    rows.Add(new Row(next++, name, RowKind.Item, q, q.Key, q.Label));
                    continue;
                }

                var first = next;
                foreach (var key in q.Grid.CellKeys(q.Key))
                {
                    rows.Add(new Row(next++, name, RowKind.Item, q, key, CellLabel(q, key)));
                }

                rows.Add(new Row(next++, name, RowKind.GridTotal, q, null, "", first, next - 2));
                if (q.Grid.TotalOf is { } totalOf && definition.FindQuestion(totalOf) is { Grid: null })
                {
                    rows.Add(new Row(next++, name, RowKind.ExpectedTotal, q, null, ""));
                }
            }

            sheets.Add(new Sheet(name, section, rows));
        }

        return new TemplateLayout(sheets);
    }

    /// <summary>"Question – Row" or "Question – Row – Column".</summary>
    public static string CellLabel(Question q, string valueKey)
    {
        var parts = valueKey.Split('.');
        var row = q.Grid!.Rows.FirstOrDefault(r => r.Value == parts[1])?.Label ?? parts[1];
        if (parts.Length < 3)
        {
            return $"{q.Label} – {row}";
        }

        var column = q.Grid.Columns.FirstOrDefault(c => c.Value == parts[2])?.Label ?? parts[2];
        return $"{q.Label} – {row} – {column}";
    }

    /// <summary>A rough count of wrapped lines for a column of the given width (Excel does not size rows for us here).</summary>
    public static int EstimateLines(string text, double width)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 1;
        }

        var perLine = Math.Max(10, (int)(width * 1.1));
        var lines = 0;
        foreach (var paragraph in text.Split('\n'))
        {
            lines += Math.Max(1, (paragraph.Length + perLine - 1) / perLine);
        }

        return lines;
    }
}
