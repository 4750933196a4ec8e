using FgcReturns.Core.Audit;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Identity;
using FgcReturns.Core.ReferenceData;
using FgcReturns.Core.Returns;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Data;

public sealed class FgcDbContext(DbContextOptions<FgcDbContext> options) : IdentityDbContext<FgcUser>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring shared by every web instance and worker (cookies, antiforgery, links).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<LocalAuthority> LocalAuthorities => Set<LocalAuthority>();
    public DbSet<StatisticalNeighbour> StatisticalNeighbours => Set<StatisticalNeighbour>();
    public DbSet<ChildPopulation> ChildPopulations => Set<ChildPopulation>();
    public DbSet<LaCodeHistory> LaCodeHistory => Set<LaCodeHistory>();
    public DbSet<SurveyDefinitionRecord> SurveyDefinitions => Set<SurveyDefinitionRecord>();
    public DbSet<Collection> Collections => Set<Collection>();
    public DbSet<LaReturn> Returns => Set<LaReturn>();
    public DbSet<ReturnSubmission> ReturnSubmissions => Set<ReturnSubmission>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<PendingUpload> PendingUploads => Set<PendingUpload>();
    public DbSet<Uploads.RefusedUpload> RefusedUploads => Set<Uploads.RefusedUpload>();
    public DbSet<ReminderSent> RemindersSent => Set<ReminderSent>();
    public DbSet<ReturnItemNote> ReturnItemNotes => Set<ReturnItemNote>();
    public DbSet<Invitation> Invitations => Set<Invitation>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(FgcDbContext).Assembly);
    }
}
