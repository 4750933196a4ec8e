using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.Benchmarks;

internal sealed class BenchmarkBuildConfiguration : IEntityTypeConfiguration<BenchmarkBuild>
{
    public void Configure(EntityTypeBuilder<BenchmarkBuild> b)
    {
        b.ToTable("benchmark_builds");
        b.Property(x => x.SurveyId).HasMaxLength(100);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.RequestedBy).HasMaxLength(256);
        b.Property(x => x.SeriesVersion).HasMaxLength(20);

        // Readers never see two current builds: switching is one transaction under this constraint.
        b.HasIndex(x => new { x.SurveyId, x.Kind }).IsUnique().HasFilter("is_current");
        b.HasIndex(x => new { x.SurveyId, x.Kind, x.StartedAt });
    }
}

internal sealed class BenchmarkMeasureConfiguration : IEntityTypeConfiguration<BenchmarkMeasure>
{
    public void Configure(EntityTypeBuilder<BenchmarkMeasure> b)
    {
        b.ToTable("benchmark_measures");
        b.HasKey(x => new { x.BuildId, x.CollectionId, x.MeasureKey });
        b.HasOne<BenchmarkBuild>().WithMany().HasForeignKey(x => x.BuildId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class BenchmarkLaValueConfiguration : IEntityTypeConfiguration<BenchmarkLaValue>
{
    public void Configure(EntityTypeBuilder<BenchmarkLaValue> b)
    {
        b.ToTable("benchmark_la_values");
        // The key serves every read (by build, then collection or LA); no other index, so the build writes fast.
        b.HasKey(x => new { x.BuildId, x.CollectionId, x.LaCode, x.MeasureKey });

        // No foreign key to benchmark_builds (here or on the area values): a per-row foreign-key check cost about
        // 0.4 s per 90k rows written, a fifth of the build. Only the builder writes these rows, under the build id it
        // has just inserted; builds are never deleted, and pruning and failed builds delete their rows explicitly.
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
    }
}

internal sealed class BenchmarkAreaValueConfiguration : IEntityTypeConfiguration<BenchmarkAreaValue>
{
    public void Configure(EntityTypeBuilder<BenchmarkAreaValue> b)
    {
        b.ToTable("benchmark_area_values");
        b.HasKey(x => new { x.BuildId, x.CollectionId, x.MeasureKey, x.AreaLevel, x.AreaCode });

        // Disclosure control sets suppressed_statistics on about 70% of a build's rows just after they are inserted.
        // Half-full pages let that UPDATE put each new row version on the same page (a HOT update: no new entry in the
        // five-column key), instead of a new key entry per row.
        b.HasStorageParameter("fillfactor", 50);
        b.Property(x => x.AreaLevel).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.AreaCode).HasMaxLength(9);
    }
}

internal sealed class BenchmarkDisclosureInputConfiguration : IEntityTypeConfiguration<BenchmarkDisclosureInput>
{
    public void Configure(EntityTypeBuilder<BenchmarkDisclosureInput> b)
    {
        b.ToTable("benchmark_disclosure_inputs");
        b.HasKey(x => new { x.BuildId, x.CollectionId });
        b.HasOne<BenchmarkBuild>().WithMany().HasForeignKey(x => x.BuildId).OnDelete(DeleteBehavior.Cascade);
        b.Property(x => x.Fingerprint).HasMaxLength(64);

        // Looked up by fingerprint when a build starts: which earlier build had the same inputs.
        b.HasIndex(x => new { x.CollectionId, x.Fingerprint });
    }
}

internal sealed class BenchmarkBuildRequestConfiguration : IEntityTypeConfiguration<BenchmarkBuildRequest>
{
    public void Configure(EntityTypeBuilder<BenchmarkBuildRequest> b)
    {
        b.ToTable("benchmark_build_requests");

        // One pending request per survey: the primary key is what coalesces requests.
        b.HasKey(x => x.SurveyId);
        b.Property(x => x.SurveyId).HasMaxLength(100);
        b.Property(x => x.JobId).HasMaxLength(100);
    }
}
