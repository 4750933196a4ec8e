using FgcReturns.Core.ReferenceData;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Collections;

/// <summary>
/// One reminder milestone sent to one LA for one collection. The unique (collection, LA, milestone) key is what
/// makes a reminder go out once, however often the job runs: the row is inserted before the emails are sent.
/// </summary>
public sealed class ReminderSent
{
    public const string TableName = "reminders_sent";

    public long Id { get; init; }
    public int CollectionId { get; init; }
    public required string LaCode { get; init; }

    /// <summary>Days relative to the deadline, as configured in Collections:ReminderDays (-14, -3, 1).</summary>
    public int Milestone { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public int RecipientCount { get; init; }
}

internal sealed class ReminderSentConfiguration : IEntityTypeConfiguration<ReminderSent>
{
    public void Configure(EntityTypeBuilder<ReminderSent> b)
    {
        b.ToTable(ReminderSent.TableName);
        b.HasKey(r => r.Id);
        b.Property(r => r.LaCode).HasMaxLength(3);
        b.HasIndex(r => new { r.CollectionId, r.LaCode, r.Milestone }).IsUnique();
        b.HasOne<Collection>().WithMany().HasForeignKey(r => r.CollectionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(r => r.LaCode).OnDelete(DeleteBehavior.Restrict);
    }
}
