using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Uploads;

/// <summary>
/// Reads an uploaded return (the Excel template from <see cref="ReturnTemplateWriter"/>, or a CSV of
/// <c>item_key,value</c>) and checks it before anything is saved. Never throws on a bad file: every failure is an
/// <see cref="UploadProblem"/> located by sheet and cell, or by line.
/// </summary>
/// <remarks>
/// A blank answer for an item that is in the file means "no answer": it is returned as "" so that saving clears any
/// saved answer (the template is filled in with the saved answers, so a cell left blank was emptied on purpose).
/// Items not in the file are not returned and stay as they are.
/// </remarks>
public sealed class ReturnUploadReader
{
    /// <summary>The largest file accepted: 5 MB. The filled-in template is about 30 KB.</summary>
    public const long MaxBytes = 5 * 1024 * 1024;

    public const string TooLargeMessage =
        "The file is larger than 5 MB. The template is much smaller than this: check you chose the right file and try again.";

    public const string UnreadableMessage = "The file could not be read. Check it is the template you downloaded, or a CSV file, and try again.";

    public const string EmptyMessage = "The file is empty. Check you chose the right file and try again.";

    public const string DamagedMessage =
        "The file could not be opened as an Excel workbook. It may be damaged. Open it in Excel, save it as an Excel workbook (.xlsx) and upload it again.";

    public const string PasswordMessage = "The file is protected with a password. Remove the password and upload it again.";

    public const string NotTemplateMessage =
        "This is not an FGC Returns template. Download the template for your return from the portal, fill it in and upload that, or upload a CSV file.";

    public UploadParseResult Read(Stream content, string fileName, long length, SurveyDefinition definition, UploadExpectation expected) =>
        Read(content, fileName, length, definition, expected, new UploadProblemList());

    /// <summary>Reads the file into <paramref name="problems"/>, which keeps the first problems and counts the rest.</summary>
    public UploadParseResult Read(Stream content, string fileName, long length, SurveyDefinition definition, UploadExpectation expected, UploadProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (length > MaxBytes)
        {
            return UploadParseResult.Reject(TooLargeMessage);
        }

        byte[]? bytes;
        try
        {
            bytes = ReadAtMost(content, MaxBytes);
        }
#pragma warning disable CA1031 // Never throw on bad input: a stream that fails is still a message for the user.
        catch (Exception)
#pragma warning restore CA1031
        {
            return UploadParseResult.Reject(UnreadableMessage);
        }

        return bytes is null ? UploadParseResult.Reject(TooLargeMessage) : Read(bytes, fileName, definition, expected, problems);
    }

    /// <summary>Reads a file already in memory (at most <see cref="MaxBytes"/>).</summary>
    public UploadParseResult Read(byte[] bytes, string fileName, SurveyDefinition definition, UploadExpectation expected, UploadProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(problems);
        try
        {
            return ReadChecked(bytes, fileName ?? "", definition, expected, problems);
        }
#pragma warning disable CA1031 // Never throw on bad input: an unexpected failure is still a message for the user.
        catch (Exception)
#pragma warning restore CA1031
        {
            return UploadParseResult.Reject(UnreadableMessage);
        }
    }

    /// <summary>
    /// The content, read in chunks into one array of its exact size; null when it is longer than
    /// <paramref name="limit"/> (reading stops there, so a 60 MB body costs at most the limit).
    /// </summary>
    public static byte[]? ReadAtMost(Stream content, long limit)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = content.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static UploadParseResult ReadChecked(byte[] bytes, string fileName, SurveyDefinition definition, UploadExpectation expected, UploadProblemList problems)
    {
        if (bytes.Length > MaxBytes)
        {
            return UploadParseResult.Reject(TooLargeMessage);
        }

        if (bytes.Length == 0)
        {
            return UploadParseResult.Reject(EmptyMessage);
        }

        var name = DisplayName(fileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var kind = FileSniffer.Sniff(bytes);
        if (kind == SniffedKind.EncryptedOoxml)
        {
            return UploadParseResult.Reject(PasswordMessage);
        }

        if (kind == SniffedKind.OleCompound || extension == ".xls")
        {
            return UploadParseResult.Reject($"'{name}' is an old Excel 97-2003 file: save it as .xlsx (Excel Workbook) and upload it again.");
        }

        switch (extension)
        {
            case ".xlsx":
                return kind == SniffedKind.Zip ? ReadWorkbook(bytes, definition, expected, problems) : UploadParseResult.Reject(DamagedMessage);
            case ".csv":
                return kind switch
                {
                    SniffedKind.Text => CsvUploadReader.Read(bytes, definition, problems),
                    SniffedKind.Zip => UploadParseResult.Reject(
                        $"'{name}' is called .csv but it is an Excel workbook. Upload it with its .xlsx name, or save it as CSV (comma delimited) and upload that."),
                    _ => UploadParseResult.Reject($"'{name}' is not a CSV text file. Save it as CSV (comma delimited) and upload it again."),
                };
            default:
                return UploadParseResult.Reject(
                    $"'{name}' is not an Excel workbook (.xlsx) or a CSV file (.csv). Upload the template you downloaded, saved as .xlsx, or a CSV file.");
        }
    }

    private static string DisplayName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray());
        return name.Length <= 80 ? name : name[..77] + "...";
    }

    private static UploadParseResult ReadWorkbook(byte[] bytes, SurveyDefinition definition, UploadExpectation expected, UploadProblemList problems)
    {
        // ClosedXML holds the whole workbook in memory, many times its size: check its size and shape first.
        if (WorkbookInspector.Inspect(bytes) is { } refusal)
        {
            return UploadParseResult.Reject(refusal);
        }

        XLWorkbook workbook;
        try
        {
            workbook = new XLWorkbook(new MemoryStream(bytes, writable: false));
        }
#pragma warning disable CA1031 // ClosedXML and the OpenXML SDK throw many exception types for a damaged file.
        catch (Exception)
#pragma warning restore CA1031
        {
            return UploadParseResult.Reject(DamagedMessage);
        }

        using (workbook)
        {
            if (!workbook.TryGetWorksheet(TemplateFormat.MetaSheet, out var metaSheet))
            {
                return UploadParseResult.Reject(NotTemplateMessage);
            }

            var meta = ReadMeta(metaSheet);
            var metaRefusal = CheckMeta(meta, definition, expected);
            if (metaRefusal is not null)
            {
                return UploadParseResult.Reject(metaRefusal);
            }

            return ReadSections(workbook, definition, problems);
        }
    }

    private static Dictionary<string, string> ReadMeta(IXLWorksheet sheet)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var last = sheet.LastRowUsed()?.RowNumber() ?? 0;
        for (var r = 1; r <= last; r++)
        {
            var key = sheet.Cell(r, 1).GetString().Trim();
            if (key.Length > 0)
            {
                meta[key] = sheet.Cell(r, 2).GetString().Trim();
            }
        }

        return meta;
    }

    /// <summary>The reason the template is refused, or null when it is for this LA, collection and definition.</summary>
    internal static string? CheckMeta(IReadOnlyDictionary<string, string> meta, SurveyDefinition definition, UploadExpectation expected)
    {
        string Get(string key) => meta.TryGetValue(key, out var value) ? value : "";

        if (Get(TemplateFormat.MetaKeys.FormatVersion) != TemplateFormat.FormatVersion
            || Get(TemplateFormat.MetaKeys.SurveyId) != definition.SurveyId)
        {
            return Get(TemplateFormat.MetaKeys.FormatVersion).Length == 0
                ? NotTemplateMessage
                : "This template is not the current FGC Returns template for this return. Download a new template from the portal, copy your answers into it and upload that.";
        }

        var laCode = Get(TemplateFormat.MetaKeys.LaCode);
        if (!string.Equals(laCode, expected.LaCode, StringComparison.OrdinalIgnoreCase))
        {
            var theirs = Describe(Get(TemplateFormat.MetaKeys.LaName), laCode);
            var ours = Describe(expected.LaName, expected.LaCode);
            return $"This template is for {theirs}, not {ours}. Download the template for {ours} from the portal and upload that.";
        }

        var collection = Get(TemplateFormat.MetaKeys.CollectionId);
        if (collection != expected.CollectionId.ToString(CultureInfo.InvariantCulture))
        {
            var theirs = Get(TemplateFormat.MetaKeys.CollectionTitle) is { Length: > 0 } title ? $"the collection '{title}'" : $"collection {collection}";
            var ours = expected.CollectionTitle is { Length: > 0 } oursTitle ? $"'{oursTitle}'" : "the collection you are uploading to";
            return $"This template is for {theirs}, not {ours}. Download the template for this collection from the portal and upload that.";
        }

        var version = Get(TemplateFormat.MetaKeys.DefinitionVersion);
        if (version != expected.DefinitionVersion)
        {
            return $"This template is for version {version} of the return, but this collection uses version {expected.DefinitionVersion}. "
                + "Download a new template from the portal, copy your answers into it and upload that.";
        }

        if (definition.Version == version && Get(TemplateFormat.MetaKeys.DefinitionHash) != definition.ContentHash)
        {
            return "This template was made from an earlier draft of the return's questions. Download a new template from the portal, copy your answers into it and upload that.";
        }

        return null;
    }

    private static string Describe(string? name, string code) =>
        string.IsNullOrWhiteSpace(name) ? code : $"{name} ({code})";

    private static UploadParseResult ReadSections(XLWorkbook workbook, SurveyDefinition definition, UploadProblemList problems)
    {
        var valueKeys = ValueKeyIndex.For(definition);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var sectionSheets = 0;
        foreach (var sheet in workbook.Worksheets)
        {
            if (IsOurs(sheet.Name) || sheet.Cell(TemplateFormat.HeaderRow, TemplateFormat.KeyColumn).GetString().Trim() != TemplateFormat.KeyHeader)
            {
                continue; // Instructions, _meta, _lists, or a sheet the user added for their own working.
            }

            sectionSheets++;
            var last = sheet.LastRowUsed()?.RowNumber() ?? 0;
            for (var r = TemplateFormat.HeaderRow + 1; r <= last; r++)
            {
                var keyCell = sheet.Cell(r, TemplateFormat.KeyColumn);
                var answerCell = sheet.Cell(r, TemplateFormat.AnswerColumn);
                var key = keyCell.GetString().Trim();
                var keyLocation = Location(sheet, keyCell);
                var answerLocation = Location(sheet, answerCell);
                if (key.Length == 0)
                {
                    if (!answerCell.HasFormula && !answerCell.IsEmpty())
                    {
                        problems.Add(new UploadProblem(
                            answerLocation,
                            "There is an answer here but no item key in column A, so it cannot be read. Do not change column A or add rows."));
                    }

                    continue;
                }

                if (!valueKeys.TryGetValue(key, out var question))
                {
                    problems.Add(new UploadProblem(keyLocation, $"{UploadQuote.Of(key)} is not a question in this survey. Do not change column A."));
                    continue;
                }

                if (seen.TryGetValue(key, out var first))
                {
                    problems.Add(new UploadProblem(keyLocation, $"'{key}' appears more than once (first at {first}). Delete the extra row.", key));
                    continue;
                }

                seen[key] = keyLocation;
                var raw = CellText(answerCell);
                if (raw is null)
                {
                    problems.Add(new UploadProblem(answerLocation, "The formula in this cell could not be worked out. Type the answer instead.", key));
                    continue;
                }

                if (UploadValueParser.TryParse(question, key, raw, out var canonical, out var error))
                {
                    values[key] = canonical;
                }
                else
                {
                    problems.Add(new UploadProblem(answerLocation, error!, key));
                }
            }
        }

        if (sectionSheets == 0)
        {
            return UploadParseResult.Reject(
                "The file has no sheets of questions in it. Do not rename, delete or change the first row of the section sheets. Download a new template from the portal if you need to.");
        }

        return new UploadParseResult(values, problems.Kept, isRejected: false, problems.Total);
    }

    private static bool IsOurs(string sheetName) =>
        string.Equals(sheetName, TemplateFormat.InstructionsSheet, StringComparison.OrdinalIgnoreCase)
        || string.Equals(sheetName, TemplateFormat.MetaSheet, StringComparison.OrdinalIgnoreCase)
        || string.Equals(sheetName, TemplateFormat.ListsSheet, StringComparison.OrdinalIgnoreCase);

    private static string Location(IXLWorksheet sheet, IXLCell cell) =>
        $"Sheet '{sheet.Name}', cell {cell.Address.ToStringRelative()}";

    /// <summary>What the cell holds as text a person would type, InvariantCulture; null when a formula cannot be worked out.</summary>
    private static string? CellText(IXLCell cell)
    {
        object? value;
        if (cell.HasFormula)
        {
            value = cell.CachedValue;
            if (value is null || (value is string s && s.Length == 0))
            {
                try
                {
                    value = cell.Value;
                }
#pragma warning disable CA1031 // ClosedXML's formula engine throws for functions it does not know.
                catch (Exception)
#pragma warning restore CA1031
                {
                    return null;
                }
            }
        }
        else
        {
            value = cell.Value;
        }

        return value switch
        {
            null => "",
            string text => WithoutNeutralisingApostrophe(text),
            double number => NumberText(number),
            bool flag => flag ? "yes" : "no",
            DateTime date => date.TimeOfDay == TimeSpan.Zero
                ? date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)
                : date.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture),
            TimeSpan time => time.ToString("c", CultureInfo.InvariantCulture),
            IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>The template writes "'=..." for text starting with = + - @ (<see cref="SpreadsheetSafety"/>); read it as typed.</summary>
    private static string WithoutNeutralisingApostrophe(string text) =>
        text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;

    private static string NumberText(double number)
    {
        if (double.IsFinite(number) && Math.Abs(number) < 7.9e27)
        {
            // decimal keeps 15 significant digits, so 0.1 + 0.2 reads as 0.3, as Excel shows it.
            return ((decimal)number).ToString(CultureInfo.InvariantCulture);
        }

        return number.ToString("R", CultureInfo.InvariantCulture);
    }
}

/// <summary>Every value key of a definition (questions and grid cells), with its question.</summary>
internal static class ValueKeyIndex
{
    public static Dictionary<string, Question> For(SurveyDefinition definition)
    {
        var index = new Dictionary<string, Question>(StringComparer.Ordinal);
        foreach (var question in definition.Questions)
        {
            foreach (var key in question.ValueKeys)
            {
                index.TryAdd(key, question);
            }
        }

        return index;
    }
}
