using System.Text;
using FgcReturns.Core.Uploads;

namespace FgcReturns.Core.Tests.Uploads;

public sealed class FileSnifferTests
{
    [Fact]
    public void Sniff_OleFileWithEncryptionInfo_IsEncryptedOoxml()
    {
        // Arrange
        var bytes = ReturnUploadReaderTests.OleFile(encrypted: true);

        // Act
        var kind = FileSniffer.Sniff(bytes);

        // Assert
        kind.ShouldBe(SniffedKind.EncryptedOoxml);
    }

    [Fact]
    public void Sniff_OleFileWithoutEncryptionInfo_IsOldExcel()
    {
        // Act
        var kind = FileSniffer.Sniff(ReturnUploadReaderTests.OleFile(encrypted: false));

        // Assert
        kind.ShouldBe(SniffedKind.OleCompound);
    }

    [Fact]
    public void Sniff_EncryptionInfoInAsciiOnly_IsNotEncrypted()
    {
        // Arrange: the stream name is stored as UTF-16; ASCII text that happens to say it is not a match.
        var bytes = ReturnUploadReaderTests.OleFile(encrypted: false);
        Encoding.ASCII.GetBytes("EncryptionInfo").CopyTo(bytes, 700);

        // Act
        var kind = FileSniffer.Sniff(bytes);

        // Assert
        kind.ShouldBe(SniffedKind.OleCompound);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, SniffedKind.Zip)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, SniffedKind.Binary)]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D }, SniffedKind.Binary)]
    [InlineData(new byte[] { 0x61, 0x2C, 0x31, 0x0A }, SniffedKind.Text)]
    [InlineData(new byte[] { 0x61, 0x00, 0x31, 0x0A }, SniffedKind.Binary)]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x61, 0x00 }, SniffedKind.Text)]
    [InlineData(new byte[0], SniffedKind.Empty)]
    public void Sniff_Signature_GivesKind(byte[] bytes, SniffedKind expected)
    {
        // Act
        var kind = FileSniffer.Sniff(bytes);

        // Assert
        kind.ShouldBe(expected);
    }
}
