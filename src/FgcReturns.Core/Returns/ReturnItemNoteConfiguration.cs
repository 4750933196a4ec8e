using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Returns;

internal sealed class ReturnItemNoteConfiguration : IEntityTypeConfiguration<ReturnItemNote>
{
    public void Configure(EntityTypeBuilder<ReturnItemNote> b)
    {
        b.ToTable("return_item_notes");
        b.HasOne<LaReturn>().WithMany().HasForeignKey(n => n.ReturnId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.ReturnId, n.ItemKey });
        b.Property(n => n.ItemKey).HasMaxLength(200);
        b.Property(n => n.Text).HasMaxLength(2000);
        b.Property(n => n.AuthorEmail).HasMaxLength(256);
    }
}
