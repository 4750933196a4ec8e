using System.Text;

namespace FgcReturns.Core.Uploads;

/// <summary>What the first bytes of a file say it is, whatever its name says.</summary>
public enum SniffedKind
{
    Empty,

    /// <summary>A ZIP archive (PK\x03\x04): what an .xlsx is, if it is not damaged.</summary>
    Zip,

    /// <summary>An OLE compound file (D0 CF 11 E0) holding "EncryptionInfo": a password-protected .xlsx.</summary>
    EncryptedOoxml,

    /// <summary>An OLE compound file without encryption: an old Excel 97-2003 .xls (or another old Office file).</summary>
    OleCompound,

    /// <summary>No NUL bytes and no known binary signature: probably text such as CSV.</summary>
    Text,

    /// <summary>Some other binary file (an image, a PDF...).</summary>
    Binary,
}

public static class FileSniffer
{
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Utf16Le = [0xFF, 0xFE];
    private static readonly byte[] Utf16Be = [0xFE, 0xFF];
    private static readonly byte[] EncryptionInfoUtf16 = Encoding.Unicode.GetBytes("EncryptionInfo");
    private static readonly byte[][] OtherBinarySignatures =
    [
        [0x89, 0x50, 0x4E, 0x47], // PNG
        [0xFF, 0xD8, 0xFF], // JPEG
        [0x25, 0x50, 0x44, 0x46], // %PDF
        [0x47, 0x49, 0x46, 0x38], // GIF
    ];

    public static SniffedKind Sniff(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return SniffedKind.Empty;
        }

        if (content.StartsWith(ZipSignature))
        {
            return SniffedKind.Zip;
        }

        if (content.StartsWith(OleSignature.AsSpan(0, 4)))
        {
            return content.IndexOf(EncryptionInfoUtf16) >= 0 ? SniffedKind.EncryptedOoxml : SniffedKind.OleCompound;
        }

        foreach (var signature in OtherBinarySignatures)
        {
            if (content.StartsWith(signature))
            {
                return SniffedKind.Binary;
            }
        }

        if (content.StartsWith(Utf16Le) || content.StartsWith(Utf16Be))
        {
            return SniffedKind.Text; // UTF-16 text with a byte order mark
        }

        var head = content[..Math.Min(content.Length, 8192)];
        return head.IndexOf((byte)0) >= 0 ? SniffedKind.Binary : SniffedKind.Text;
    }
}
