using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Foundation;

/// <summary>
/// Other tests stand on TestData's baseline, not on the demo seed; this one is what a newcomer's first run gets:
/// an open collection with a return per LA, last year accepted with figures that pass validation, and the accounts the
/// README lists.
/// </summary>
public sealed class DemoSeedTests(DatabaseServerFixture database)
{
    [Fact]
    public async Task Start_EmptyDatabaseWithDemoSeed_HasAnOpenYearLastYearAcceptedAndTheListedAccounts()
    {
        // Arrange
        const string name = "fgc_demo_seed_test";
        await database.Server.ExecuteAsync($"CREATE DATABASE {name}");

        // Act
        await using var factory = new FgcWebFactory(database.Server.Cluster.ConnectionString(name), migrate: true,
            settings: new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
        var ct = TestContext.Current.CancellationToken;

        // Assert
        var collections = await db.Collections.OrderBy(c => c.PeriodStart).ToListAsync(ct);
        collections.Select(c => (c.Period, c.Status)).ShouldBe([(TestData.PreviousPeriod, CollectionStatus.Closed), (TestData.OpenPeriod, CollectionStatus.Open)]);
        var returns = await db.Returns.GroupBy(r => new { r.CollectionId, r.Status }).Select(g => new { g.Key.CollectionId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        returns.ShouldContain(g => g.CollectionId == collections[0].Id && g.Status == ReturnStatus.Accepted && g.Count == 153);
        returns.ShouldContain(g => g.CollectionId == collections[1].Id && g.Status == ReturnStatus.NotStarted && g.Count == 153);
        var lastYear = await db.Returns.AsNoTracking().Where(r => r.CollectionId == collections[0].Id).ToListAsync(ct);
        lastYear.ShouldAllBe(r => r.ErrorCount == 0 && r.Values.Count > 0 && r.AcceptedAt != null);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        foreach (var account in DemoUserSeeder.Accounts)
        {
            var user = await users.FindByEmailAsync(account.Email);
            user.ShouldNotBeNull(account.Email);
            user.LaCode.ShouldBe(account.LaCode);
            (await users.IsInRoleAsync(user, account.Role)).ShouldBeTrue(account.Email);
            (await users.CheckPasswordAsync(user, DemoOptions.DefaultPassword)).ShouldBeTrue(account.Email);
        }
    }
}
