using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FgcReturns.Core.Tests.Builders;

/// <summary>
/// The worst uploads we could make, built as an attacker would. Depends on nothing but the BCL, so the integration
/// tests reuse it as it is.
/// </summary>
public static class HostileFiles
{
    public const string BombPart = "xl/worksheets/sheet2.xml";

    /// <summary>
    /// The workbook with its second sheet stuffed with identical rows of text: a few MB that unzip to
    /// <paramref name="uncompressedBytes"/>, every row one ClosedXML would load.
    /// </summary>
    /// <param name="oneCell">Instead of rows, one cell holding all that text.</param>
    public static byte[] ZipBomb(byte[] workbook, long uncompressedBytes, bool oneCell = false)
    {
        using var input = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var part in input.Entries)
            {
                using var reader = new StreamReader(part.Open(), Encoding.UTF8);
                var content = reader.ReadToEnd();
                if (part.FullName != BombPart)
                {
                    Write(zip, part.FullName, content);
                    continue;
                }

                var (at, x) = Closing(content, "sheetData");
                using var stream = zip.CreateEntry(part.FullName, CompressionLevel.SmallestSize).Open();
                stream.Write(Encoding.UTF8.GetBytes(content[..at]));
                var rows = Encoding.UTF8.GetBytes(oneCell
                    ? new string('A', 64 * 1024)
                    : string.Concat(Enumerable.Repeat($"<{x}row><{x}c t=\"inlineStr\"><{x}is><{x}t>boom</{x}t></{x}is></{x}c></{x}row>", 2000)));
                stream.Write(Encoding.UTF8.GetBytes(oneCell ? $"<{x}row r=\"900\"><{x}c r=\"D900\" t=\"inlineStr\"><{x}is><{x}t>" : ""));
                for (long written = 0; written < uncompressedBytes; written += rows.Length)
                {
                    stream.Write(rows);
                }

                stream.Write(Encoding.UTF8.GetBytes(oneCell ? $"</{x}t></{x}is></{x}c></{x}row>" : ""));

                stream.Write(Encoding.UTF8.GetBytes(content[at..]));
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// <see cref="ZipBomb"/> of one cell whose headers lie: the bomb declares that it unzips to its zipped size, so only reading
    /// it finds out.
    /// </summary>
    public static byte[] LyingZipBomb(byte[] workbook, long uncompressedBytes)
    {
        var bytes = ZipBomb(workbook, uncompressedBytes, oneCell: true);
        var span = bytes.AsSpan();
        for (var at = span.Length - 46; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[at..]) != 0x02014b50
                || at + 46 + BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 28)..]) > span.Length
                || Encoding.UTF8.GetString(span.Slice(at + 46, BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 28)..]))) != BombPart)
            {
                continue; // not the bomb's central directory record
            }

            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 20)..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 24)..], compressed);
            var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 42)..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(local + 22)..], compressed);
        }

        return bytes;
    }

    /// <summary>The workbook with <paramref name="depth"/> elements nested inside each other in its first worksheet.</summary>
    public static byte[] DeeplyNested(byte[] workbook, int depth) =>
        Rewrite(workbook, "xl/worksheets/sheet1.xml", xml =>
        {
            var (at, x) = Closing(xml, "worksheet");
            var nested = new StringBuilder(depth * 20);
            nested.Insert(0, $"<{x}extLst>", depth).Insert(nested.Length, $"</{x}extLst>", depth);
            return xml[..at] + nested + xml[at..];
        });

    /// <summary>The workbook with <paramref name="rows"/> empty rows (height set, as Excel writes them) added to its second sheet.</summary>
    public static byte[] EmptyRows(byte[] workbook, int rows) =>
        Rewrite(workbook, "xl/worksheets/sheet2.xml", xml =>
        {
            var (at, x) = Closing(xml, "sheetData");
            var extra = new StringBuilder(rows * 40);
            for (var r = 0; r < rows; r++)
            {
                extra.Append('<').Append(x).Append("row r=\"").Append(2000 + r).Append("\" spans=\"1:5\" ht=\"20\" customHeight=\"1\"/>");
            }

            return xml[..at] + extra + xml[at..];
        });

    /// <summary>A CSV with the right header and <paramref name="lines"/> lines, each naming an item that does not exist.</summary>
    public static byte[] CsvOfBadLines(int lines)
    {
        var text = new StringBuilder("item_key,value\n", lines * 20);
        for (var i = 0; i < lines; i++)
        {
            text.Append("no_such_item_").Append(i).Append(",1\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Copies a zip, changing one XML part.</summary>
    public static byte[] Rewrite(byte[] zipBytes, string part, Func<string, string> change)
    {
        using var input = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                var content = reader.ReadToEnd();
                Write(zip, entry.FullName, entry.FullName == part ? change(content) : content);
            }
        }

        return output.ToArray();
    }

    /// <summary>Where the last closing tag of an element starts, and its namespace prefix with the colon ("x:" from ClosedXML).</summary>
    private static (int At, string Prefix) Closing(string xml, string name)
    {
        var end = xml.LastIndexOf(name + ">", StringComparison.Ordinal);
        var at = xml.LastIndexOf("</", end, StringComparison.Ordinal);
        return (at, xml[(at + 2)..end]);
    }

    private static void Write(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
