using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Uploads;

/// <summary>Reads a CSV upload: a header line <c>item_key,value</c>, then one item a line. Problems are located by line.</summary>
internal static class CsvUploadReader
{
    public const string Header = "item_key,value";

    public static UploadParseResult Read(byte[] bytes, SurveyDefinition definition, UploadProblemList problems)
    {
        var text = Decode(bytes);
        var badData = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = true,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            BadDataFound = _ => badData = true,
        };

        var valueKeys = ValueKeyIndex.For(definition);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new LineCounter(text);
        var headerRead = false;
        var dataLines = 0;

        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, config);
        while (true)
        {
            badData = false;
            if (!parser.Read())
            {
                break;
            }

            var line = lines.StartLine(parser);
            var fields = Trimmed(parser.Record ?? []);
            if (fields.Count == 0 || (fields.Count == 1 && fields[0].Length == 0))
            {
                continue;
            }

            var location = "Line " + line.ToString(CultureInfo.InvariantCulture);
            if (!headerRead)
            {
                headerRead = true;
                if (fields.Count == 2 && Is(fields[0], "item_key") && Is(fields[1], "value"))
                {
                    continue;
                }

                var looksLikeData = valueKeys.ContainsKey(fields[0].Trim());
                return new UploadParseResult(
                    new Dictionary<string, string?>(StringComparer.Ordinal),
                    [new UploadProblem(location, looksLikeData
                        ? $"The header line is missing. The first line must be {Header}, then one item a line."
                        : $"The first line must be the header {Header}, not {UploadQuote.Of(string.Join(",", fields))}.")],
                    isRejected: true);
            }

            dataLines++;
            if (badData)
            {
                problems.Add(new UploadProblem(location, "This line could not be read: check its quotes. Put a value in double quotes only when it contains a comma, like \"1,234\"."));
                continue;
            }

            if (fields.Count > 2)
            {
                problems.Add(new UploadProblem(
                    location,
                    string.Create(CultureInfo.InvariantCulture, $"This line has {fields.Count} columns, but each line needs 2: item_key and value. If a value contains a comma, like 1,234, put it in double quotes.")));
                continue;
            }

            var key = fields[0].Trim();
            if (fields.Count < 2)
            {
                problems.Add(new UploadProblem(location, $"There is no value for {UploadQuote.Of(key)}. Write the item key, a comma, then the value.", valueKeys.ContainsKey(key) ? key : null));
                continue;
            }

            if (!valueKeys.TryGetValue(key, out var question))
            {
                var grid = definition.FindQuestion(key)?.Grid;
                problems.Add(new UploadProblem(location, grid is null
                    ? $"{UploadQuote.Of(key)} is not a question in this survey. Use the item keys from the template."
                    : $"'{key}' is a table: give each of its cells on its own line, like {grid.CellKeys(key).First()}."));
                continue;
            }

            if (seen.TryGetValue(key, out var firstLine))
            {
                problems.Add(new UploadProblem(
                    location,
                    string.Create(CultureInfo.InvariantCulture, $"'{key}' is already on line {firstLine}. Give each item once."),
                    key));
                continue;
            }

            seen[key] = line;
            if (UploadValueParser.TryParse(question, key, fields[1], out var canonical, out var error))
            {
                values[key] = canonical;
            }
            else
            {
                problems.Add(new UploadProblem(location, error!, key));
            }
        }

        if (!headerRead || dataLines == 0)
        {
            return UploadParseResult.Reject($"The file has no answers in it. The first line must be {Header}, then one item a line, like referrals_children,125.");
        }

        return new UploadParseResult(values, problems.Kept, isRejected: false, problems.Total);
    }

    private static bool Is(string field, string expected) =>
        string.Equals(field.Trim().Trim('\uFEFF'), expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The fields without the empty ones at the end (spreadsheets often save "key,value,,").</summary>
    private static List<string> Trimmed(string[] record)
    {
        var count = record.Length;
        while (count > 0 && string.IsNullOrWhiteSpace(record[count - 1]))
        {
            count--;
        }

        var fields = record.Take(Math.Max(count, Math.Min(record.Length, 2))).ToList();
        return count == 0 ? [] : fields;
    }

    /// <summary>
    /// The line a record starts on (a quoted value may run over several lines). Counts forward from the previous
    /// record, so reading a file is linear in its length, not quadratic.
    /// </summary>
    private sealed class LineCounter(string text)
    {
        private int position;
        private int line = 1;

        public int StartLine(CsvParser parser)
        {
            var start = (int)Math.Clamp(parser.CharCount - parser.RawRecord.Length, 0, text.Length);
            while (start < text.Length && text[start] is '\r' or '\n')
            {
                start++;
            }

            if (start < position)
            {
                // Never expected (records only move forward), but count from the start rather than go wrong.
                position = 0;
                line = 1;
            }

            line += text.AsSpan(position, start - position).Count('\n');
            position = start;
            return line;
        }
    }

    private static string Decode(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        try
        {
            using var strict = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            return strict.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Excel's "CSV (comma delimited)" on Windows saves in the Windows code page.
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
