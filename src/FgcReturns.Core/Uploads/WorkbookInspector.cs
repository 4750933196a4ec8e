using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace FgcReturns.Core.Uploads;

/// <summary>
/// Checks an .xlsx (a zip of XML parts) before ClosedXML loads it, reading each part once as a stream: how many parts,
/// their declared and actual uncompressed sizes, how far they compress, how deep their XML nests, and how many
/// sheets, rows, cells and XML elements they hold. ClosedXML keeps a whole workbook in memory at many times its
/// size, so a 2.6 MB zip bomb once took 3.6 GB; within these limits a workbook costs tens of MB at most.
/// </summary>
/// <remarks>
/// The limits are about 20 times what the filled-in template needs (it is about 40 parts, 0.5 MB unzipped,
/// under 1,000 rows and 3,000 cells), so no real upload comes near them.
/// </remarks>
/// <summary>How much a workbook may hold before it is refused unopened: the template's limits, or a tracker's larger ones.</summary>
public sealed record WorkbookLimits(long MaxTotalBytes, int MaxRows, int MaxCells, int MaxElements)
{
    public static WorkbookLimits Template { get; } = new(WorkbookInspector.MaxTotalBytes, WorkbookInspector.MaxRows, WorkbookInspector.MaxCells, WorkbookInspector.MaxElements);

    /// <summary>A case-level tracker has one row per family referral: room for 20,000 rows of a few dozen columns.</summary>
    public static WorkbookLimits Tracker { get; } = new(64 * 1024 * 1024, 20_000, 600_000, 4_000_000);
}

public static class WorkbookInspector
{
    public const int MaxParts = 200;
    public const long MaxPartBytes = 8 * 1024 * 1024;
    public const long MaxTotalBytes = 16 * 1024 * 1024;

    /// <summary>A part larger than <see cref="RatioCheckedFrom"/> may unzip to at most this many times its zipped size.</summary>
    public const int MaxCompressionRatio = 100;

    public const long RatioCheckedFrom = 1024 * 1024;
    public const int MaxSheets = 50;
    public const int MaxRows = 20_000;
    public const int MaxCells = 60_000;
    public const int MaxElements = 400_000;
    public const int MaxDepth = 40;

    public const string ZipBombMessage =
        "The file unzips to far more than its size (more than 100 times), which a workbook made in Excel never does, so it was not opened. "
        + "Upload the template you downloaded, filled in.";

    public const string TooMuchDataMessage =
        "The workbook holds more than 16 MB of data when it is opened, so it was not opened. The template holds much less than this: "
        + "check you chose the right file, or copy your answers into a new template and upload that.";

    public const string TooManyPartsMessage =
        "The workbook has more than 200 parts inside it, so it was not opened. Copy your answers into a new template and upload that.";

    public const string DeeplyNestedMessage =
        "Part of the workbook is nested more than 40 levels deep, which Excel never writes, so it was not opened. "
        + "The file may be damaged or made by another program: open it in Excel, save it as an Excel workbook (.xlsx) and upload it again.";

    public const string DocumentTypeMessage =
        "The workbook contains a document type declaration, which Excel never writes, so it was not opened. "
        + "Open it in Excel, save it as an Excel workbook (.xlsx) and upload it again.";

    public static string TooManySheetsMessage(int sheets) => string.Create(
        CultureInfo.InvariantCulture,
        $"The workbook has {sheets:N0} sheets; at most {MaxSheets} are accepted. Delete the sheets you added, or copy your answers into a new template, and upload it again.");

    public static string TooManyRowsMessage(string sheet, int maxRows = MaxRows) => string.Create(
        CultureInfo.InvariantCulture,
        $"The sheet {UploadQuote.Of(sheet)} has more than {maxRows:N0} rows, counting empty rows that have been formatted or resized. The template has fewer than 1,000. Delete the rows below the questions, or copy your answers into a new template, and upload it again.");

    public static string TooManyCellsMessage(string sheet, int maxCells = MaxCells) => string.Create(
        CultureInfo.InvariantCulture,
        $"The workbook has more than {maxCells:N0} cells (the sheet {UploadQuote.Of(sheet)} took it over the limit), counting empty cells that have been formatted. The template has fewer than 5,000. Delete what you added outside the answer column, or copy your answers into a new template, and upload it again.");

    public const string TooComplexMessage =
        "The workbook is too complicated to check (more than 400,000 pieces of formatting and content), so it was not opened. "
        + "Copy your answers into a new template and upload that.";

    /// <summary>The reason the workbook must not be loaded, or null when it is within every limit.</summary>
    public static string? Inspect(byte[] bytes) => Inspect(bytes, WorkbookLimits.Template);

    /// <summary>The reason the workbook must not be loaded under <paramref name="limits"/>, or null when it is within them.</summary>
    public static string? Inspect(byte[] bytes, WorkbookLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            return Inspect(zip, limits);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return DocumentTypeMessage;
        }
        catch (XmlException)
        {
            return ReturnUploadReader.DamagedMessage;
        }
        catch (LimitExceededException)
        {
            return TooMuchDataMessage;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            return ReturnUploadReader.DamagedMessage;
        }
    }

    private static string? Inspect(ZipArchive zip, WorkbookLimits limits)
    {
        var entries = zip.Entries;
        if (entries.Count > MaxParts)
        {
            return TooManyPartsMessage;
        }

        // The declared sizes first: cheap, and enough to refuse an honest zip bomb without unzipping a byte. The
        // declared total is not refused here: a sheet of a million formatted rows is better told by its row count,
        // which the streamed read below finds long before the data limit.
        foreach (var entry in entries)
        {
            if (TooCompressed(entry.Length, entry.CompressedLength))
            {
                return ZipBombMessage;
            }
        }

        var (sheetNames, sheetCount) = SheetNames(zip);
        if (sheetCount > MaxSheets)
        {
            return TooManySheetsMessage(sheetCount);
        }

        // Then what each part really unzips to (a zip may lie about its sizes), read once as a stream.
        var budget = new Budget(limits);
        foreach (var entry in entries)
        {
            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            var sheet = sheetNames.GetValueOrDefault(entry.FullName.TrimStart('/'));
            var refusal = ReadPart(entry, sheet, budget);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return null;
    }

    private static bool TooCompressed(long uncompressed, long compressed) =>
        uncompressed > RatioCheckedFrom && uncompressed > (long)MaxCompressionRatio * Math.Max(compressed, 1);

    private static string? ReadPart(ZipArchiveEntry entry, string? sheet, Budget budget)
    {
        using var raw = entry.Open();
        using var counted = new CountingStream(raw, Math.Min(Math.Max(MaxPartBytes, budget.Limits.MaxTotalBytes / 2), budget.Limits.MaxTotalBytes - budget.Bytes));
        try
        {
            string? refusal = null;
            if (IsXml(entry.FullName))
            {
                refusal = ReadXml(counted, sheet, budget);
            }
            else
            {
                counted.CopyTo(Stream.Null);
            }

            budget.Bytes += counted.BytesRead;
            if (refusal is null && TooCompressed(counted.BytesRead, entry.CompressedLength))
            {
                refusal = ZipBombMessage;
            }

            return refusal;
        }
        catch (LimitExceededException)
        {
            return TooCompressed(counted.BytesRead, entry.CompressedLength) ? ZipBombMessage : TooMuchDataMessage;
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            return DocumentTypeMessage;
        }
        catch (XmlException)
        {
            return ReturnUploadReader.DamagedMessage;
        }
    }

    private static bool IsXml(string name) =>
        name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".vml", StringComparison.OrdinalIgnoreCase);

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    private static string? ReadXml(Stream stream, string? sheet, Budget budget)
    {
        using var reader = XmlReader.Create(stream, Settings);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth >= MaxDepth)
            {
                return DeeplyNestedMessage;
            }

            if (++budget.Elements > budget.Limits.MaxElements)
            {
                return TooComplexMessage;
            }

            if (sheet is null)
            {
                continue;
            }

            if (reader.LocalName == "row" && ++budget.RowsIn(sheet) > budget.Limits.MaxRows)
            {
                return TooManyRowsMessage(sheet, budget.Limits.MaxRows);
            }

            if (reader.LocalName == "c" && ++budget.Cells > budget.Limits.MaxCells)
            {
                return TooManyCellsMessage(sheet, budget.Limits.MaxCells);
            }
        }

        return null;
    }

    /// <summary>Worksheet part path (e.g. "xl/worksheets/sheet2.xml") to the sheet's name, from workbook.xml and its relationships.</summary>
    private static (Dictionary<string, string> Names, int Count) SheetNames(ZipArchive zip)
    {
        var workbookEntry = zip.GetEntry("xl/workbook.xml");
        var relsEntry = zip.GetEntry("xl/_rels/workbook.xml.rels");
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (workbookEntry is null || relsEntry is null
            || workbookEntry.Length > MaxPartBytes || relsEntry.Length > MaxPartBytes)
        {
            return (names, 0);
        }

        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var rels = XmlReader.Create(new CountingStream(relsEntry.Open(), MaxPartBytes), Settings))
        {
            while (rels.Read() && targets.Count <= MaxParts)
            {
                if (rels is { NodeType: XmlNodeType.Element, LocalName: "Relationship" }
                    && rels.GetAttribute("Id") is { } id && rels.GetAttribute("Target") is { } target)
                {
                    targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
                }
            }
        }

        const string RelationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var sheets = 0;
        using (var workbook = XmlReader.Create(new CountingStream(workbookEntry.Open(), MaxPartBytes), Settings))
        {
            while (workbook.Read() && sheets <= MaxSheets)
            {
                if (workbook is { NodeType: XmlNodeType.Element, LocalName: "sheet" })
                {
                    sheets++;
                    var name = workbook.GetAttribute("name") ?? "";
                    if (workbook.GetAttribute("id", RelationshipsNamespace) is { } id && targets.TryGetValue(id, out var path))
                    {
                        names[path] = name;
                    }
                }
            }
        }

        return (names, sheets);
    }

    private sealed class Budget(WorkbookLimits limits)
    {
        public WorkbookLimits Limits { get; } = limits;

        private readonly Dictionary<string, int> rows = new(StringComparer.Ordinal);

        public long Bytes { get; set; }

        public int Elements { get; set; }

        public int Cells { get; set; }

        public ref int RowsIn(string sheet) =>
            ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(rows, sheet, out _);
    }

    private sealed class LimitExceededException : Exception;

    /// <summary>Passes reads through, counting bytes, and stops with <see cref="LimitExceededException"/> past a limit.</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            if (BytesRead > limit)
            {
                throw new LimitExceededException();
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
