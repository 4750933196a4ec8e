using System.Net;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>Sign-in must not tell who has an account: not by its words, not by the time it takes.</summary>
public sealed class SignInProbingTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string Known = TestData.Users.LeicesterLead;
    private const string Unknown = "nobody.here@fgc.example";

    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() =>
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            // This test signs in 50 times in a minute on purpose.
            ["SignInRateLimits:PerClient"] = "1000",
            ["SignInRateLimits:PerAccount"] = "1000",
        });

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task SignIn_UnknownAndKnownEmail_EachVerifiesOnePasswordHash()
    {
        // Arrange: the hasher counts its work. Verifying a password hash is what makes a sign-in slow (by design), so
        // an unknown address that skipped it would answer faster and tell a prober it has no account. Counting the
        // hash checks says so exactly, where timing them on a shared machine could not (a timed version of this test
        // failed at 22% apart under load).
        var hasher = new CountingPasswordHasher();
        await using var counted = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IPasswordHasher<FgcUser>>(hasher)));
        var client = counted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        // Act
        var beforeKnown = hasher.Verifications;
        await WrongPasswordSignInAsync(client, Known);
        var known = hasher.Verifications - beforeKnown;
        var beforeUnknown = hasher.Verifications;
        await WrongPasswordSignInAsync(client, Unknown);
        var unknown = hasher.Verifications - beforeUnknown;

        // Assert
        known.ShouldBe(1);
        unknown.ShouldBe(known, "an unknown address must cost the same password-hash check as a known one");
    }

    private sealed class CountingPasswordHasher : IPasswordHasher<FgcUser>
    {
        private readonly PasswordHasher<FgcUser> inner = new();
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(FgcUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(FgcUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "wrong password", Known },
        { "unknown email", Unknown },
        { "deactivated", TestData.Users.MedwayLead },
        { "locked", TestData.Users.Analyst },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task SignIn_AnyRefusal_SaysTheSameWords(string scenario, string email)
    {
        // Arrange
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
            var user = await users.FindByEmailAsync(email);
            if (scenario == "deactivated")
            {
                user!.IsActive = false;
                await users.UpdateAsync(user);
            }
            else if (scenario == "locked")
            {
                await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddMinutes(15));
            }
        }

        // Act
        var response = await factory.CreateBrowserlessClient().SignInAsync(email, "not-the-password-123");
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain(FgcReturns.Web.Components.Account.SignIn.FailedMessage);
        page.ShouldNotContain("locked");
    }

    /// <summary>One wrong-password sign-in; the account's failure count is reset afterwards so it is never locked.</summary>
    private async Task WrongPasswordSignInAsync(HttpClient client, string email)
    {
        var form = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = "wrong-password-123",
        });
        using var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        if (await users.FindByEmailAsync(email) is { } user)
        {
            await users.ResetAccessFailedCountAsync(user); // so the known account is never locked: its password is really checked
        }
    }
}
