using FgcReturns.Core.Audit;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Identity;
using FgcReturns.Core.ReferenceData;
using FgcReturns.Core.Returns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Data;

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(9);
        b.Property(r => r.Name).HasMaxLength(100);
    }
}

internal sealed class LocalAuthorityConfiguration : IEntityTypeConfiguration<LocalAuthority>
{
    public void Configure(EntityTypeBuilder<LocalAuthority> b)
    {
        b.HasKey(la => la.Code);
        b.Property(la => la.Code).HasMaxLength(3);
        b.Property(la => la.OnsCode).HasMaxLength(9);
        b.Property(la => la.Name).HasMaxLength(100);
        b.HasIndex(la => la.OnsCode).IsUnique();
        b.HasOne(la => la.Region).WithMany(r => r.LocalAuthorities).HasForeignKey(la => la.RegionCode);
        b.HasMany(la => la.Neighbours).WithOne().HasForeignKey(n => n.LaCode);
    }
}

internal sealed class StatisticalNeighbourConfiguration : IEntityTypeConfiguration<StatisticalNeighbour>
{
    public void Configure(EntityTypeBuilder<StatisticalNeighbour> b)
    {
        b.HasKey(n => new { n.LaCode, n.NeighbourLaCode });
        b.HasOne(n => n.Neighbour).WithMany().HasForeignKey(n => n.NeighbourLaCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(n => new { n.LaCode, n.Rank }).IsUnique();
        b.Property(n => n.Closeness).HasMaxLength(20);
    }
}

internal sealed class ChildPopulationConfiguration : IEntityTypeConfiguration<ChildPopulation>
{
    public void Configure(EntityTypeBuilder<ChildPopulation> b)
    {
        b.HasKey(p => new { p.LaCode, p.Year });
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(p => p.LaCode);
    }
}

internal sealed class LaCodeHistoryConfiguration : IEntityTypeConfiguration<LaCodeHistory>
{
    public void Configure(EntityTypeBuilder<LaCodeHistory> b)
    {
        b.HasIndex(h => new { h.LaCode, h.ValidFrom });
    }
}

internal sealed class SurveyDefinitionRecordConfiguration : IEntityTypeConfiguration<SurveyDefinitionRecord>
{
    public void Configure(EntityTypeBuilder<SurveyDefinitionRecord> b)
    {
        b.HasKey(d => new { d.SurveyId, d.Version });
        b.Property(d => d.ContentHash).HasMaxLength(64);
    }
}

internal sealed class CollectionConfiguration : IEntityTypeConfiguration<Collection>
{
    public void Configure(EntityTypeBuilder<Collection> b)
    {
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Period).HasMaxLength(20);
        b.HasIndex(c => new { c.SurveyId, c.Period }).IsUnique();
        b.Property(c => c.RowVersion).IsRowVersion();
        b.HasOne<SurveyDefinitionRecord>().WithMany().HasForeignKey(c => new { c.SurveyId, c.DefinitionVersion }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LaReturnConfiguration : IEntityTypeConfiguration<LaReturn>
{
    public void Configure(EntityTypeBuilder<LaReturn> b)
    {
        b.ToTable("returns");
        b.HasIndex(r => new { r.CollectionId, r.LaCode }).IsUnique();
        b.HasOne(r => r.Collection).WithMany().HasForeignKey(r => r.CollectionId);
        b.HasOne(r => r.LocalAuthority).WithMany().HasForeignKey(r => r.LaCode);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(r => r.Values).HasJsonbConversion();
        b.Property(r => r.Explanations).HasJsonbConversion();
        b.Property(r => r.RowVersion).IsRowVersion();
        b.HasMany(r => r.Submissions).WithOne().HasForeignKey(s => s.ReturnId);
    }
}

internal sealed class ReturnSubmissionConfiguration : IEntityTypeConfiguration<ReturnSubmission>
{
    public void Configure(EntityTypeBuilder<ReturnSubmission> b)
    {
        b.HasIndex(s => new { s.ReturnId, s.VersionNumber }).IsUnique();
        b.HasIndex(s => s.Reference).IsUnique();
        b.Property(s => s.Values).HasJsonbConversion();
        b.Property(s => s.Explanations).HasJsonbConversion();
        b.Property(s => s.ValidationIssuesJson).HasColumnType("jsonb");
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.HasIndex(a => new { a.ReturnId, a.OccurredAt });
        b.HasIndex(a => a.OccurredAt);
        b.Property(a => a.Action).HasMaxLength(60);
        b.Property(a => a.Source).HasMaxLength(20);
        b.Property(a => a.Detail).HasColumnType("jsonb");
    }
}

internal sealed class FgcUserConfiguration : IEntityTypeConfiguration<FgcUser>
{
    public void Configure(EntityTypeBuilder<FgcUser> b)
    {
        b.Property(u => u.LaCode).HasMaxLength(3);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(u => u.LaCode).OnDelete(DeleteBehavior.Restrict);
        b.Property(u => u.DisplayName).HasMaxLength(200);
    }
}

internal sealed class PendingUploadConfiguration : IEntityTypeConfiguration<PendingUpload>
{
    public void Configure(EntityTypeBuilder<PendingUpload> b)
    {
        b.HasOne<LaReturn>().WithMany().HasForeignKey(u => u.ReturnId).OnDelete(DeleteBehavior.Cascade);
        b.Property(u => u.Values).HasJsonbConversion();
    }
}
