using System.Net;
using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.IntegrationTests.Review;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Users;

/// <summary>Invitations, one-time set-password links, deactivation and the LA's team page.</summary>
public sealed class UserAdminTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private ReviewHost host = null!;

    public async ValueTask InitializeAsync() => host = await ReviewHost.StartAsync(database);

    public async ValueTask DisposeAsync() => await host.DisposeAsync();

    private FgcWebFactory Factory => host.Factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> AsAdminAsync<T>(Func<UserAdminService, System.Security.Claims.ClaimsPrincipal, Task<T>> action, string email = TestData.Users.Administrator)
    {
        var admin = await Factory.PrincipalAsync(email);
        return await Factory.WithServiceAsync<UserAdminService, T>(s => action(s, admin));
    }

    [Fact]
    public async Task Invite_LaDataLeadWithoutLa_IsRefused()
    {
        // Act
        var outcome = await AsAdminAsync((s, a) => s.InviteAsync(a, "new.lead@fgc.example", "New Lead", new UserAccess(Roles.LaDataLead, null), Ct));

        // Assert
        outcome.Succeeded.ShouldBeFalse();
        outcome.Problems.ShouldContain(e => e.Field == "la-code" && e.Message == "Select the local authority for an LA data lead");
        (await Factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "new.lead@fgc.example", Ct))).ShouldBeFalse();
        host.Emails().ShouldBeEmpty();
    }

    [Fact]
    public async Task Invite_AnalystWithAnLa_StoresNoLa()
    {
        // Act
        var outcome = await AsAdminAsync((s, a) => s.InviteAsync(a, "new.analyst@fgc.example", "New Analyst", new UserAccess(Roles.Analyst, TestData.Medway), Ct));

        // Assert
        outcome.Succeeded.ShouldBeTrue(outcome.Message);
        var user = await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "new.analyst@fgc.example", Ct));
        user.LaCode.ShouldBeNull();
        user.PasswordHash.ShouldBeNull();
    }

    [Fact]
    public async Task Invite_ExistingEmail_IsRefused()
    {
        // Act
        var outcome = await AsAdminAsync((s, a) => s.InviteAsync(a, TestData.Users.MedwayLead, "Someone", new UserAccess(Roles.LaDataLead, TestData.Medway), Ct));

        // Assert
        outcome.Problems.ShouldContain(e => e.Message == "A user with this email address already exists");
    }

    [Fact]
    public async Task InvitePage_NothingFilledIn_ErrorSummaryFollowsTheOrderOfTheForm()
    {
        // Arrange
        using var admin = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);

        // Act
        var invite = await ReviewHost.PostFormAsync(admin, "/admin/users/invite", "invite", new Dictionary<string, string>());
        var body = await ReviewHost.BodyAsync(invite);

        // Assert: name, email, role, as on the page.
        var summary = body[body.IndexOf("govuk-error-summary", StringComparison.Ordinal)..];
        var links = System.Text.RegularExpressions.Regex.Matches(summary, "href=\"#([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList();
        links.Take(3).ShouldBe(["display-name", "email", "role"]);
    }

    [Fact]
    public async Task SetPasswordPage_RulesStatedUpFront_ShortRefusedInPlainWordsAndLongLowercaseAccepted()
    {
        // Arrange: an invitation, opened by the invitee.
        using var admin = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        await ReviewHost.PostFormAsync(admin, "/admin/users/invite", "invite", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Sam Rules",
            ["Form.Email"] = "sam.rules@fgc.example",
            ["Form.Role"] = Roles.LaDataLead,
            ["Form.LaCode"] = TestData.Medway,
        });
        var token = host.LinkTokenFor("sam.rules@fgc.example");
        using var invitee = Factory.CreateBrowserlessClient();
        var url = "/account/set-password?token=" + Uri.EscapeDataString(token);

        // Act
        var page = await ReviewHost.BodyAsync(await invitee.GetAsync(new Uri(url, UriKind.Relative), Ct));
        var tooShort = await ReviewHost.BodyAsync(await ReviewHost.PostFormAsync(invitee, url, "set-password", new Dictionary<string, string>
        {
            ["Form.Token"] = token,
            ["Form.Password"] = "short one",
            ["Form.Confirmation"] = "short one",
        }));
        var longLowercase = await ReviewHost.BodyAsync(await ReviewHost.PostFormAsync(invitee, url, "set-password", new Dictionary<string, string>
        {
            ["Form.Token"] = token,
            ["Form.Password"] = "correct horse battery staple",
            ["Form.Confirmation"] = "correct horse battery staple",
        }));

        // Assert
        page.ShouldContain("Use at least 12 characters.");
        page.ShouldNotContain("govuk-error-message");
        tooShort.ShouldContain(PasswordRules.TooShortMessage);
        tooShort.ShouldNotContain("non alphanumeric");
        longLowercase.ShouldContain("Your password has been set");
    }

    [Fact]
    public async Task Invitation_SetPasswordThroughLink_SignsInAndTheLinkWorksOnce()
    {
        // Arrange: an administrator invites a second Medway data lead through the page.
        using var admin = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
        var invite = await ReviewHost.PostFormAsync(admin, "/admin/users/invite", "invite", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Robin Second",
            ["Form.Email"] = "robin.medway@fgc.example",
            ["Form.Role"] = Roles.LaDataLead,
            ["Form.LaCode"] = TestData.Medway,
        });
        invite.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var email = host.Emails().ShouldHaveSingleItem();
        email.To.Mailboxes.Single().Address.ShouldBe("robin.medway@fgc.example");
        var token = host.LinkTokenFor("robin.medway@fgc.example");
        var stored = await Factory.WithDbAsync(db => db.Invitations.SingleAsync(Ct));
        stored.TokenHash.ShouldBe(PasswordLinkService.HashToken(token));
        stored.TokenHash.ShouldNotContain(token);
        stored.ExpiresAt.ShouldBe(Factory.Clock.GetUtcNow().AddDays(7));
        using var invitee = Factory.CreateBrowserlessClient();
        var url = "/account/set-password?token=" + Uri.EscapeDataString(token);

        // Act
        var set = await ReviewHost.PostFormAsync(invitee, url, "set-password", new Dictionary<string, string>
        {
            ["Form.Token"] = token,
            ["Form.Password"] = "Robins-new-passw0rd",
            ["Form.Confirmation"] = "Robins-new-passw0rd",
        });
        var again = await invitee.GetAsync(new Uri(url, UriKind.Relative), Ct);
        var signIn = await invitee.SignInAsync("robin.medway@fgc.example", "Robins-new-passw0rd");

        // Assert
        (await ReviewHost.BodyAsync(set)).ShouldContain("Your password has been set");
        (await ReviewHost.BodyAsync(again)).ShouldContain("This link has already been used.");
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var robin = await Factory.PrincipalAsync("robin.medway@fgc.example");
        robin.LaCode().ShouldBe(TestData.Medway);
        robin.IsInRole(Roles.LaDataLead).ShouldBeTrue();
    }

    [Fact]
    public async Task Invitation_ShortPasswordOrMismatch_IsRefusedAndTheLinkStillWorks()
    {
        // Arrange
        (await AsAdminAsync((s, a) => s.InviteAsync(a, "sam@fgc.example", "Sam", new UserAccess(Roles.Analyst, null), Ct))).Succeeded.ShouldBeTrue();
        var token = host.LinkTokenFor("sam@fgc.example");

        // Act
        var tooShort = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "short", "short", Ct));
        var mismatch = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "A-long-enough-passw0rd", "Another-passw0rd!", Ct));
        var good = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "A-long-enough-passw0rd", "A-long-enough-passw0rd", Ct));

        // Assert
        tooShort.Problems.ShouldContain(e => e.Field == "password");
        mismatch.Problems.ShouldContain(e => e.Field == "confirm-password" && e.Message == "The passwords do not match");
        good.Succeeded.ShouldBeTrue(good.Message);
    }

    [Fact]
    public async Task Invitation_AfterSevenDays_HasExpired()
    {
        // Arrange
        (await AsAdminAsync((s, a) => s.InviteAsync(a, "late@fgc.example", "Late", new UserAccess(Roles.LaDataLead, "855"), Ct))).Succeeded.ShouldBeTrue();
        var token = host.LinkTokenFor("late@fgc.example");
        Factory.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        // Act
        var check = await Factory.WithServiceAsync<PasswordLinkService, PasswordLinkCheck>(s => s.CheckLinkAsync(token, Ct));
        var set = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "A-long-enough-passw0rd", "A-long-enough-passw0rd", Ct));
        using var client = Factory.CreateBrowserlessClient();
        var page = await client.GetAsync(new Uri("/account/set-password?token=" + Uri.EscapeDataString(token), UriKind.Relative), Ct);

        // Assert
        check.Valid.ShouldBeFalse();
        check.Problem.ShouldBe("This invitation has expired. Ask your FGC Returns administrator to send you a new one.");
        set.Succeeded.ShouldBeFalse();
        (await ReviewHost.BodyAsync(page)).ShouldContain("This invitation has expired.");
        (await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "late@fgc.example", Ct))).PasswordHash.ShouldBeNull();
    }

    [Fact]
    public async Task Invitation_Resent_TheOldLinkStopsWorking()
    {
        // Arrange
        var invited = await AsAdminAsync((s, a) => s.InviteAsync(a, "twice@fgc.example", "Twice", new UserAccess(Roles.Analyst, null), Ct));
        var first = host.LinkTokenFor("twice@fgc.example");

        // Act: a minute later (emails are named by time).
        Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        (await AsAdminAsync((s, a) => s.ResendInvitationAsync(a, invited.Value!, Ct))).Succeeded.ShouldBeTrue();
        var second = host.LinkTokenFor("twice@fgc.example");
        var old = await Factory.WithServiceAsync<PasswordLinkService, PasswordLinkCheck>(s => s.CheckLinkAsync(first, Ct));
        var fresh = await Factory.WithServiceAsync<PasswordLinkService, PasswordLinkCheck>(s => s.CheckLinkAsync(second, Ct));

        // Assert
        second.ShouldNotBe(first);
        old.Valid.ShouldBeFalse();
        old.Problem!.ShouldContain("replaced by a newer one");
        fresh.Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task PasswordReset_LinkWorksOnceAndExpiresAfterTwoHours()
    {
        // Arrange
        using var anonymous = Factory.CreateBrowserlessClient();
        var request = await ReviewHost.PostFormAsync(anonymous, "/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Form.Email"] = TestData.Users.MedwayLead });
        var unknown = await ReviewHost.PostFormAsync(anonymous, "/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Form.Email"] = "nobody@fgc.example" });
        var token = host.LinkTokenFor(TestData.Users.MedwayLead);

        // Act
        var reset = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "Medways-new-passw0rd", "Medways-new-passw0rd", Ct));
        var reuse = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(token, "Another-new-passw0rd", "Another-new-passw0rd", Ct));
        await Factory.WithServiceAsync<PasswordLinkService, bool>(async s => { await s.RequestPasswordResetAsync(TestData.Users.MedwayLead, Ct); return true; });
        var later = host.LinkTokenFor(TestData.Users.MedwayLead);
        Factory.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var expired = await Factory.WithServiceAsync<PasswordLinkService, Outcome<string>>(s => s.SetPasswordAsync(later, "Another-new-passw0rd", "Another-new-passw0rd", Ct));

        // Assert: the same answer for a known and an unknown address; only the known one gets an email.
        (await ReviewHost.BodyAsync(request)).ShouldContain("If an account uses that address");
        (await ReviewHost.BodyAsync(unknown)).ShouldContain("If an account uses that address");
        host.Emails().Count(e => e.To.Mailboxes.Any(m => m.Address == "nobody@fgc.example")).ShouldBe(0);
        reset.Succeeded.ShouldBeTrue(reset.Message);
        reuse.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("This link has already been used.");
        expired.Problems.ShouldHaveSingleItem().Message.ShouldBe("This password reset link has expired. Ask for a new one from the sign-in page.");
        using var scope = Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        var medway = (await users.FindByEmailAsync(TestData.Users.MedwayLead))!;
        (await users.CheckPasswordAsync(medway, "Medways-new-passw0rd")).ShouldBeTrue();
    }

    [Fact]
    public async Task Deactivate_ExistingSessionStopsWorkingAndSignInIsRefused_ReactivateRestores()
    {
        // Arrange: Leicester's data lead is signed in and working.
        using var leicester = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.LeicesterLead);
        var ret = await Factory.OpenReturnAsync("856");
        var before = await leicester.GetAsync(new Uri($"/returns/{ret.Id}", UriKind.Relative), Ct);
        var userId = (await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == TestData.Users.LeicesterLead, Ct))).Id;

        // Act
        (await AsAdminAsync((s, a) => s.SetActiveAsync(a, userId, active: false, ct: Ct))).Succeeded.ShouldBeTrue();
        Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await leicester.GetAsync(new Uri($"/returns/{ret.Id}", UriKind.Relative), Ct);
        using var again = Factory.CreateBrowserlessClient();
        var signIn = await again.SignInAsync(TestData.Users.LeicesterLead);
        (await AsAdminAsync((s, a) => s.SetActiveAsync(a, userId, active: true, ct: Ct))).Succeeded.ShouldBeTrue();
        var reactivated = await again.SignInAsync(TestData.Users.LeicesterLead);

        // Assert
        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.ToString().ShouldContain("/account/sign-in");
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReviewHost.BodyAsync(signIn)).ShouldContain("Enter a correct email address and password");
        reactivated.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var audit = await Factory.WithDbAsync(db => db.AuditEvents.Where(a => a.Source == "admin").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        audit.ShouldBe(["UserDeactivated", "UserReactivated"]);
    }

    [Fact]
    public async Task RevokePending_OnePurpose_CancelsOnlyThatPurposesLiveLinks()
    {
        // Arrange: Leicester's lead has a live invitation, a live reset, an expired reset and a used reset.
        var userId = await UserIdAsync(TestData.Users.LeicesterLead);
        var links = await AddLinksAsync(userId);

        // Act
        var cancelled = await Factory.WithServiceAsync<PasswordLinkService, int>(s => s.RevokePendingAsync(userId, InvitationPurpose.PasswordReset, Ct));

        // Assert
        cancelled.ShouldBe(1);
        (await RevokedAsync(links)).ShouldBe(new Dictionary<string, bool> { ["invitation"] = false, ["reset"] = true, ["expired reset"] = false, ["used reset"] = false });
    }

    [Fact]
    public async Task RevokePending_EveryPurpose_CancelsEveryLiveLinkAndLeavesExpiredAndUsedOnes()
    {
        // Arrange
        var userId = await UserIdAsync(TestData.Users.LeicesterLead);
        var links = await AddLinksAsync(userId);

        // Act
        var cancelled = await Factory.WithServiceAsync<PasswordLinkService, int>(s => s.RevokePendingAsync(userId, purpose: null, Ct));

        // Assert
        cancelled.ShouldBe(2);
        (await RevokedAsync(links)).ShouldBe(new Dictionary<string, bool> { ["invitation"] = true, ["reset"] = true, ["expired reset"] = false, ["used reset"] = false });
    }

    [Fact]
    public async Task Deactivate_UserWithPendingLinks_CancelsThemAll()
    {
        // Arrange
        var userId = await UserIdAsync(TestData.Users.LeicesterLead);
        var links = await AddLinksAsync(userId);

        // Act
        (await AsAdminAsync((s, a) => s.SetActiveAsync(a, userId, active: false, ct: Ct))).Succeeded.ShouldBeTrue();

        // Assert: reactivating later does not bring an old link back to life.
        (await RevokedAsync(links)).ShouldBe(new Dictionary<string, bool> { ["invitation"] = true, ["reset"] = true, ["expired reset"] = false, ["used reset"] = false });
    }

    private Task<string> UserIdAsync(string email) =>
        Factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct));

    /// <summary>One link of each state, named; returns their ids by name.</summary>
    private async Task<Dictionary<string, long>> AddLinksAsync(string userId)
    {
        var now = Factory.Clock.GetUtcNow();
        var links = new Dictionary<string, Invitation>
        {
            ["invitation"] = new() { UserId = userId, Purpose = InvitationPurpose.Invitation, TokenHash = "invitation", CreatedAt = now, ExpiresAt = now.AddDays(7) },
            ["reset"] = new() { UserId = userId, Purpose = InvitationPurpose.PasswordReset, TokenHash = "reset", CreatedAt = now, ExpiresAt = now.AddHours(2) },
            ["expired reset"] = new() { UserId = userId, Purpose = InvitationPurpose.PasswordReset, TokenHash = "expired", CreatedAt = now.AddHours(-3), ExpiresAt = now.AddHours(-1) },
            ["used reset"] = new() { UserId = userId, Purpose = InvitationPurpose.PasswordReset, TokenHash = "used", CreatedAt = now, ExpiresAt = now.AddHours(2), UsedAt = now },
        };
        await Factory.WithDbAsync(async db =>
        {
            db.Invitations.AddRange(links.Values);
            return await db.SaveChangesAsync(Ct);
        });
        return links.ToDictionary(l => l.Key, l => l.Value.Id);
    }

    private Task<Dictionary<string, bool>> RevokedAsync(Dictionary<string, long> links) =>
        Factory.WithDbAsync(async db =>
        {
            var revoked = await db.Invitations.AsNoTracking().Where(i => links.Values.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.RevokedAt is not null, Ct);
            return links.ToDictionary(l => l.Key, l => revoked[l.Value]);
        });

    [Fact]
    public async Task ChangeAccess_MovesALeadToAnotherLaAndGuardsTheAdministrator()
    {
        // Arrange
        var medwayId = (await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == TestData.Users.MedwayLead, Ct))).Id;
        var adminId = (await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == TestData.Users.Administrator, Ct))).Id;

        // Act
        var moved = await AsAdminAsync((s, a) => s.ChangeAccessAsync(a, medwayId, new UserAccess(Roles.LaDataLead, "855"), ct: Ct));
        var noLa = await AsAdminAsync((s, a) => s.ChangeAccessAsync(a, medwayId, new UserAccess(Roles.LaDataLead, ""), ct: Ct));
        var demoteSelf = await AsAdminAsync((s, a) => s.ChangeAccessAsync(a, adminId, new UserAccess(Roles.Analyst, null), ct: Ct));
        var deactivateSelf = await AsAdminAsync((s, a) => s.SetActiveAsync(a, adminId, false, ct: Ct));
        var byAnalyst = await AsAdminAsync((s, a) => s.ChangeAccessAsync(a, medwayId, new UserAccess(Roles.Administrator, null), ct: Ct), TestData.Users.Analyst);

        // Assert
        moved.Succeeded.ShouldBeTrue(moved.Message);
        (await Factory.PrincipalAsync(TestData.Users.MedwayLead)).LaCode().ShouldBe("855");
        noLa.Problems.ShouldContain(e => e.Field == "la-code");
        demoteSelf.Message.ShouldBe("You cannot remove your own administrator role. Ask another administrator.");
        deactivateSelf.Message.ShouldBe("You cannot deactivate your own account.");
        byAnalyst.ShouldBe(AdminOutcome.Forbidden);
        (await Factory.PrincipalAsync(TestData.Users.MedwayLead)).IsInRole(Roles.Administrator).ShouldBeFalse();
    }

    [Fact]
    public async Task TeamPage_ShowsOnlyColleaguesFromTheSameLa()
    {
        // Arrange: a second Medway lead is invited.
        (await AsAdminAsync((s, a) => s.InviteAsync(a, "robin.medway@fgc.example", "Robin Second", new UserAccess(Roles.LaDataLead, TestData.Medway), Ct))).Succeeded.ShouldBeTrue();
        using var medway = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        using var analyst = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var page = await medway.GetAsync(new Uri("/team", UriKind.Relative), Ct);
        var forAnalyst = await analyst.GetAsync(new Uri("/team", UriKind.Relative), Ct);

        // Assert
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ReviewHost.BodyAsync(page);
        body.ShouldContain(TestData.Users.MedwayLead);
        body.ShouldContain("robin.medway@fgc.example");
        body.ShouldContain("Invited");
        body.ShouldNotContain(TestData.Users.LeicesterLead);
        body.ShouldNotContain(TestData.Users.Analyst);
        forAnalyst.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UsersPage_AdministratorSeesUsers()
    {
        // Arrange
        using var admin = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);

        // Act
        var response = await admin.GetAsync(new Uri("/admin/users", UriKind.Relative), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ReviewHost.BodyAsync(response);
        body.ShouldContain(TestData.Users.LeicestershireLead);
        body.ShouldContain("Invite a user");
    }
}
