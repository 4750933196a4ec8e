using System.Net;
using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using FgcReturns.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>The portal and the tests' OpenID Connect provider (standing in for DfE Sign-in) on one loopback.</summary>
public sealed class DfeSignInHost(DatabaseServerFixture database) : IAsyncLifetime
{
    private readonly string emails = Path.Combine(Path.GetTempPath(), "fgc-dfe-emails-" + Guid.NewGuid().ToString("N"));

    public TestOidcProvider Provider { get; private set; } = null!;

    public FgcWebFactory Factory { get; private set; } = null!;

    /// <summary>The set-password link in the newest email to this address, as the person would click it.</summary>
    public string SetPasswordLinkFor(string address)
    {
        var newest = Directory.GetFiles(emails, "*.eml").OrderBy(File.GetLastWriteTimeUtc).Select(f => MimeKit.MimeMessage.Load(f))
            .Last(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)));
        var link = System.Text.RegularExpressions.Regex.Match(newest.TextBody ?? "", @"/account/set-password\?token=[A-Za-z0-9_%\-]+");
        link.Success.ShouldBeTrue("No set-password link in: " + newest.TextBody);
        return link.Value;
    }

    public async ValueTask InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        var settings = Provider.PortalSettings;
        settings["Email:PickupDirectory"] = emails;
        // The real time: the correlation and nonce cookies expire 15 minutes after the portal's clock says, and a
        // browser (or cookie container) on the real clock drops a cookie that expired on the test clock's day.
        Factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), clock: new TestClock(DateTimeOffset.UtcNow), settings: settings);
        _ = Factory.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Provider.DisposeAsync();
        if (Directory.Exists(emails))
        {
            Directory.Delete(emails, recursive: true);
        }
    }
}

public sealed class DfeSignInTests(DfeSignInHost host) : IClassFixture<DfeSignInHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FgcWebFactory Factory => host.Factory;

    private TestOidcProvider Provider => host.Provider;

    private async Task<string> InviteAsync(string email, string role, string? laCode)
    {
        var admin = await Factory.PrincipalAsync(TestData.Users.Administrator);
        var outcome = await Factory.WithServiceAsync<UserAdminService, Outcome<string>>(s => s.InviteAsync(admin, email, "Invited Person", new UserAccess(role, laCode), Ct));
        outcome.Succeeded.ShouldBeTrue(string.Join("; ", outcome.Problems.Select(e => e.Message)));
        return outcome.Value!;
    }

    private async Task<LandedPage> SignInAsync(TestOidcUser user)
    {
        using var providerClient = OidcSignInExtensions.CreateProviderClient();
        var portal = Factory.CreateBrowserlessClient();
        return await portal.SignInWithDfeAsync(providerClient, Provider, user);
    }

    [Fact]
    public async Task SignInPage_DfeSignInConfigured_ShowsTheButton()
    {
        // Act
        var page = await Factory.CreateBrowserlessClient().GetStringAsync(new Uri("/account/sign-in", UriKind.Relative), Ct);

        // Assert
        page.ShouldContain("Sign in with DfE Sign-in");
        page.ShouldContain("href=\"/account/sign-in/dfe?returnUrl=%2F\"");
        page.ShouldContain("name=\"Input.Password\""); // local passwords stay on unless switched off
    }

    [Fact]
    public async Task SignInWithDfe_InvitedMedwayLead_LandsAsMedwayLeadThroughPkce()
    {
        // Arrange: invited, never set a password.
        var userId = await InviteAsync("casey.invited@medway.example", Roles.LaDataLead, TestData.Medway);
        var person = Provider.AddUser("dfe-subject-medway-1", "casey.invited@medway.example");
        var verifiersBefore = Provider.TokenRequestsWithVerifier;

        // Act
        var landed = await SignInAsync(person);

        // Assert: home page of a Medway data lead, with the role and LA the invitation gave.
        landed.Status.ShouldBe(HttpStatusCode.OK);
        landed.Address.AbsolutePath.ShouldBe("/");
        landed.Body.ShouldContain(">Medway</h1>");
        Provider.TokenRequestsWithVerifier.ShouldBe(verifiersBefore + 1);
        var login = await Factory.WithDbAsync(db => db.UserLogins.SingleAsync(l => l.UserId == userId, Ct));
        (login.LoginProvider, login.ProviderKey).ShouldBe((DfeSignIn.Scheme, "dfe-subject-medway-1"));
        var user = await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == userId, Ct));
        (user.LaCode, user.PasswordHash, user.EmailConfirmed).ShouldBe((TestData.Medway, null, true));
    }

    [Fact]
    public async Task SignInWithDfe_InvitedPersonWithAnUnusedSetPasswordLink_TheLinkNoLongerSetsAPassword()
    {
        // Arrange: invited by email; the person signs in with DfE Sign-in instead of using the link.
        var userId = await InviteAsync("robin.invited@medway.example", Roles.LaDataLead, TestData.Medway);
        var link = host.SetPasswordLinkFor("robin.invited@medway.example");
        var client = Factory.CreateBrowserlessClient();
        (await client.GetStringAsync(new Uri(link, UriKind.Relative), Ct)).ShouldContain("name=\"Form.Password\"");

        // Act
        var landed = await SignInAsync(Provider.AddUser("dfe-subject-medway-robin", "robin.invited@medway.example"));

        // Assert: signed in; whoever opens the emailed link now is told it was cancelled, and cannot set a password.
        landed.Address.AbsolutePath.ShouldBe("/");
        var page = System.Net.WebUtility.HtmlDecode(await Factory.CreateBrowserlessClient().GetStringAsync(new Uri(link, UriKind.Relative), Ct));
        page.ShouldContain("This link has been cancelled");
        page.ShouldNotContain("name=\"Form.Password\"");
        (await Factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == userId, Ct))).PasswordHash.ShouldBeNull();
    }

    [Fact]
    public async Task SignInWithDfe_UninvitedSubject_RefusedWithPageAndNoAccountCreated()
    {
        // Arrange
        var stranger = Provider.AddUser("dfe-subject-stranger", "stranger@somewhere.example");
        var usersBefore = await Factory.WithDbAsync(db => db.Users.CountAsync(Ct));

        // Act
        var landed = await SignInAsync(stranger);

        // Assert
        landed.Status.ShouldBe(HttpStatusCode.OK);
        landed.Address.AbsolutePath.ShouldBe(DfeSignIn.RefusedPath);
        landed.Body.ShouldContain("You cannot sign in to FGC Returns");
        landed.Body.ShouldContain("We could not find one for the email address on your DfE Sign-in account");
        (await Factory.WithDbAsync(db => db.Users.CountAsync(Ct))).ShouldBe(usersBefore);
        (await Factory.WithDbAsync(db => db.UserLogins.AnyAsync(l => l.ProviderKey == "dfe-subject-stranger", Ct))).ShouldBeFalse();
    }

    [Fact]
    public async Task SignInWithDfe_RefusedPerson_IsNotSignedIn()
    {
        // Arrange
        var stranger = Provider.AddUser("dfe-subject-stranger-2", "stranger.two@somewhere.example");
        using var providerClient = OidcSignInExtensions.CreateProviderClient();
        var portal = Factory.CreateBrowserlessClient();
        await portal.SignInWithDfeAsync(providerClient, Provider, stranger);

        // Act
        var home = await portal.GetAsync(new Uri("/local-authorities/887", UriKind.Relative), Ct);

        // Assert
        home.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.Headers.Location!.ToString().ShouldContain("/account/sign-in");
    }

    [Fact]
    public async Task SignInWithDfe_UnverifiedEmailOfAnInvitedUser_Refused()
    {
        // Arrange
        await InviteAsync("unverified@medway.example", Roles.LaDataLead, TestData.Medway);
        var person = Provider.AddUser("dfe-subject-unverified", "unverified@medway.example", emailVerified: false);

        // Act
        var landed = await SignInAsync(person);

        // Assert
        landed.Address.AbsolutePath.ShouldBe(DfeSignIn.RefusedPath);
        landed.Body.ShouldContain("did not confirm the email address on your account");
        (await Factory.WithDbAsync(db => db.UserLogins.AnyAsync(l => l.ProviderKey == "dfe-subject-unverified", Ct))).ShouldBeFalse();
    }

    [Fact]
    public async Task SignInWithDfe_DeactivatedUser_RefusedByEmailAndBySubject()
    {
        // Arrange: one linked by a first sign-in, then both deactivated.
        var linkedId = await InviteAsync("linked.then.gone@medway.example", Roles.LaDataLead, TestData.Medway);
        var neverId = await InviteAsync("never.linked@medway.example", Roles.LaDataLead, TestData.Medway);
        var linked = Provider.AddUser("dfe-subject-linked-gone", "linked.then.gone@medway.example");
        var never = Provider.AddUser("dfe-subject-never-linked", "never.linked@medway.example");
        (await SignInAsync(linked)).Body.ShouldContain(">Medway</h1>");
        var admin = await Factory.PrincipalAsync(TestData.Users.Administrator);
        foreach (var id in new[] { linkedId, neverId })
        {
            (await Factory.WithServiceAsync<UserAdminService, Outcome<string>>(s => s.SetActiveAsync(admin, id, false, ct: Ct))).Succeeded.ShouldBeTrue();
        }

        // Act
        var bySubject = await SignInAsync(linked);
        var byEmail = await SignInAsync(never);

        // Assert
        foreach (var landed in new[] { bySubject, byEmail })
        {
            landed.Address.AbsolutePath.ShouldBe(DfeSignIn.RefusedPath);
            landed.Body.ShouldContain("Your FGC Returns account has been deactivated.");
        }
    }

    [Fact]
    public async Task SignInWithDfe_SecondSignInAfterEmailChangedAtProvider_MatchedBySubject()
    {
        // Arrange
        await InviteAsync("first.address@medway.example", Roles.LaDataLead, TestData.Medway);
        var person = Provider.AddUser("dfe-subject-moves", "first.address@medway.example");
        (await SignInAsync(person)).Body.ShouldContain(">Medway</h1>");
        person.Email = "new.address@elsewhere.example";

        // Act
        var landed = await SignInAsync(person);

        // Assert
        landed.Address.AbsolutePath.ShouldBe("/");
        landed.Body.ShouldContain(">Medway</h1>");
    }

    [Fact]
    public async Task SignInWithDfe_SecondProviderAccountWithTheSameEmail_Refused()
    {
        // Arrange
        await InviteAsync("one.person@medway.example", Roles.LaDataLead, TestData.Medway);
        (await SignInAsync(Provider.AddUser("dfe-subject-original", "one.person@medway.example"))).Body.ShouldContain(">Medway</h1>");
        var impostor = Provider.AddUser("dfe-subject-second-account", "ONE.PERSON@medway.example");

        // Act
        var landed = await SignInAsync(impostor);

        // Assert
        landed.Address.AbsolutePath.ShouldBe(DfeSignIn.RefusedPath);
        landed.Body.ShouldContain("already linked to a different DfE Sign-in account");
    }

    [Fact]
    public async Task SignOut_AfterDfeSignIn_EndsThePortalAndProviderSessions()
    {
        // Arrange
        await InviteAsync("signs.out@medway.example", Roles.LaDataLead, TestData.Medway);
        var person = Provider.AddUser("dfe-subject-signs-out", "signs.out@medway.example");
        using var providerClient = OidcSignInExtensions.CreateProviderClient();
        var portal = Factory.CreateBrowserlessClient();
        (await portal.SignInWithDfeAsync(providerClient, Provider, person)).Body.ShouldContain(">Medway</h1>");
        var endSessionsBefore = Provider.EndSessions.Count;

        // Act
        var signedOut = await portal.SignOutAsync(providerClient, Provider);

        // Assert: the provider's end-session endpoint was called and came back to the portal's signed-out page.
        signedOut.Address.AbsolutePath.ShouldBe("/account/signed-out");
        signedOut.Body.ShouldContain("You have signed out");
        Provider.EndSessions.Count.ShouldBe(endSessionsBefore + 1);
        (await portal.GetAsync(new Uri("/local-authorities/887", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        // Starting again needs the provider's password again: its session ended too.
        var again = await portal.SignInWithDfeAsync(providerClient, Provider, user: null);
        (again.Address.Authority, again.Address.AbsolutePath).ShouldBe((Provider.Authority.Authority, "/login"));
    }

    [Fact]
    public async Task SignOut_AfterPasswordSignIn_DoesNotGoToTheProvider()
    {
        // Arrange
        var portal = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.LeicesterLead);
        using var providerClient = OidcSignInExtensions.CreateProviderClient();
        var endSessionsBefore = Provider.EndSessions.Count;

        // Act
        var signedOut = await portal.SignOutAsync(providerClient, Provider);

        // Assert
        signedOut.Address.AbsolutePath.ShouldBe("/account/signed-out");
        Provider.EndSessions.Count.ShouldBe(endSessionsBefore);
    }
}
