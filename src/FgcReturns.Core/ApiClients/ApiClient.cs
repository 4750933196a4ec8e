using FgcReturns.Core.ReferenceData;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FgcReturns.Core.ApiClients;

/// <summary>An LA's case system allowed to fill that LA's returns through the API. Only a hash of its secret is kept.</summary>
public sealed class ApiClient
{
    public int Id { get; init; }
    public required string LaCode { get; init; }
    public required string Name { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the whole secret; the secret itself is shown once and never stored.</summary>
    public required string SecretHash { get; init; }

    /// <summary>The first characters of the secret, so a person can tell which secret a system holds.</summary>
    public required string SecretHint { get; init; }
    public required string CreatedByUserId { get; init; }
    public required string CreatedByEmail { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.ToTable("api_clients");
        b.HasIndex(c => c.SecretHash).IsUnique();
        b.HasIndex(c => c.LaCode);
        b.Property(c => c.LaCode).HasMaxLength(3);
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.SecretHash).HasMaxLength(64);
        b.Property(c => c.SecretHint).HasMaxLength(12);
        b.Property(c => c.CreatedByEmail).HasMaxLength(256);
        b.Property(c => c.RevokedBy).HasMaxLength(256);
        b.HasOne<LocalAuthority>().WithMany().HasForeignKey(c => c.LaCode).OnDelete(DeleteBehavior.Restrict);
    }
}
