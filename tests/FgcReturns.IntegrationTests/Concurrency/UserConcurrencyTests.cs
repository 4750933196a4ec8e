using System.Net;
using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Concurrency;

/// <summary>Two administrators on one user: a change made on a page that is out of date is refused, never silently applied.</summary>
public sealed class UserConcurrencyTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string Second = "admin.two@fgc.example";
    private FgcWebFactory factory = null!;
    private string analystId = "";

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        await StalePage.CreateUserAsync(factory, Second, Roles.Administrator);
        analystId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == TestData.Users.Analyst).Select(u => u.Id).SingleAsync());
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task ChangeAccess_FromAPageOpenedBeforeAnotherAdministratorChangedTheRole_IsRefusedNamesThemAndKeepsTheChoice()
    {
        // Arrange: A opens the analyst's page; B makes them an administrator.
        using var first = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        using var second = await factory.CreateBrowserlessClient().SignedInAsync(Second);
        var page = await StalePage.OpenAsync(first, $"/admin/users/{analystId}");
        var byThem = await (await StalePage.OpenAsync(second, $"/admin/users/{analystId}")).PostAsync("access", new Dictionary<string, string> { ["Form.Role"] = Roles.Administrator });
        byThem.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Act: A makes them Medway's data lead from the page that still shows "Analyst".
        var post = await page.PostAsync("access", new Dictionary<string, string> { ["Form.Role"] = Roles.LaDataLead, ["Form.LaCode"] = TestData.Medway });

        // Assert: refused, naming B and the change; A's choice still selected; B's change stands.
        post.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain($"Not saved: {Second} changed their access from Analyst to Administrator");
        body.ShouldContain("after you opened this page");
        body.ShouldMatch($"value=\"{Roles.LaDataLead}\"[^>]*checked");
        body.ShouldMatch("value=\"887\"[^>]*selected");
        (await RoleAsync()).ShouldBe(Roles.Administrator);
    }

    [Fact]
    public async Task Deactivate_FromAPageOpenedBeforeAnotherAdministratorChangedTheRole_IsRefusedAndTheUserStaysActive()
    {
        // Arrange
        using var first = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        var page = await StalePage.OpenAsync(first, $"/admin/users/{analystId}");
        var admin2 = await factory.PrincipalAsync(Second);
        (await factory.WithServiceAsync<UserAdminService, Outcome<string>>(s => s.ChangeAccessAsync(admin2, analystId, new UserAccess(Roles.Administrator, null)))).Succeeded.ShouldBeTrue();

        // Act
        var post = await page.PostAsync("active", new Dictionary<string, string>());

        // Assert
        var body = await StalePage.BodyAsync(post);
        body.ShouldContain($"Not saved: {Second} changed their access from Analyst to Administrator");
        (await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == analystId))).IsActive.ShouldBeTrue();
    }

    [Fact]
    public async Task ChangeAccess_TwoAdministratorsAtTheSameMomentFromTheSamePage_OneIsSavedTheOthersToldNoException()
    {
        // Arrange: round after round, every administrator's page shows the user as they are; six saves land at once.
        // (Before the user's row was locked, a save could remove a role another save had just removed: it threw
        // "User is not in role 'Analyst'" instead of telling the administrator.)
        var admins = new[] { await factory.PrincipalAsync(TestData.Users.Administrator), await factory.PrincipalAsync(Second) };
        string[] las = [TestData.Medway, "855", "856", "840", "841", "805"];
        var seen = new SeenUser(Roles.Analyst, null, true);

        for (var round = 0; round < 6; round++)
        {
            var changes = seen.Role == Roles.Analyst
                ? las.Select(la => new UserAccess(Roles.LaDataLead, la)).ToArray()
                : las.Select(_ => new UserAccess(Roles.Analyst, null)).ToArray();

            // Act
            var outcomes = await Task.WhenAll(changes.Select((change, i) =>
                factory.WithServiceAsync<UserAdminService, Outcome<string>>(s => s.ChangeAccessAsync(admins[i % 2], analystId, change, seen))));

            // Assert: one change stands and matches the stored user; every other is refused with the conflict message.
            outcomes.Count(o => o.Succeeded).ShouldBe(1, $"round {round}");
            outcomes.Where(o => !o.Succeeded).ShouldAllBe(o => o.Problems[0].Message.StartsWith("Not saved: ", StringComparison.Ordinal));
            var winner = changes[Array.FindIndex(outcomes, o => o.Succeeded)];
            (await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == analystId))).LaCode.ShouldBe(winner.LaCode);
            (await RoleAsync()).ShouldBe(winner.Role);
            seen = new SeenUser(winner.Role, winner.LaCode, true);
        }
    }

    private async Task<string?> RoleAsync()
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        return (await users.GetRolesAsync((await users.FindByIdAsync(analystId))!)).SingleOrDefault();
    }
}
