using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Uploads;

/// <summary>
/// A file that was read but had problems, kept for a day so that its uploader can download the full list of problems
/// (the page shows only the first 100). Keeping the file (5 MB at most) rather than the list keeps storage bounded: a
/// 5 MB file of bad lines has a quarter of a million problems. Only the newest per user and return is kept.
/// </summary>
public sealed class RefusedUpload
{
    public Guid Id { get; init; }

    public int ReturnId { get; init; }

    public required string UserId { get; init; }

    public required string FileName { get; init; }

    public required byte[] Content { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class RefusedUploadConfiguration : IEntityTypeConfiguration<RefusedUpload>
{
    public void Configure(EntityTypeBuilder<RefusedUpload> b)
    {
        b.ToTable("refused_uploads");
        b.HasOne<LaReturn>().WithMany().HasForeignKey(u => u.ReturnId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(u => u.CreatedAt);
    }
}
