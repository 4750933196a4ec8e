using FgcReturns.Core.Data;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Foundation;

public sealed class DatabaseTests(DatabaseServerFixture database) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryMigration()
    {
        // Arrange
        const string name = "fgc_empty_migration_test";
        await database.Server.ExecuteAsync($"CREATE DATABASE {name}");

        // Act
        await using var factory = new FgcWebFactory(database.Server.Cluster.ConnectionString(name), migrate: true);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();

        // Assert
        var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);
        applied.ShouldBe(db.Database.GetMigrations());
        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await db.LocalAuthorities.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(153);
    }

    [Fact]
    public async Task AuditLog_UpdateOrDelete_IsRefusedByTheDatabase()
    {
        // Arrange
        await using var factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
        db.AuditEvents.Add(new Core.Audit.AuditEvent { Action = "test", OccurredAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        // Act
        var update = await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET action = 'changed'", TestContext.Current.CancellationToken));
        var delete = await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events", TestContext.Current.CancellationToken));

        // Assert
        update.Message.ShouldContain("append-only");
        delete.Message.ShouldContain("append-only");
    }
}
