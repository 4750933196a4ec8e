using System.Diagnostics;
using System.Net;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>Sign-in must not tell who has an account: not by its words, not by the time it takes.</summary>
[Collection(nameof(MemoryMeasuredCollection))] // timed: run alone, like the memory measurements
public sealed class SignInProbingTests(DatabaseServerFixture database, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Known = "lead.leicester@fgc.example";
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
    public async Task SignIn_UnknownAndKnownEmail_MediansOf20AttemptsWithin20Percent()
    {
        // Arrange: both take the same route to the form; warm up both paths first.
        var client = factory.CreateBrowserlessClient();
        await TimeAsync(client, Known);
        await TimeAsync(client, Unknown);
        var known = new List<double>();
        var unknown = new List<double>();

        // Act: interleaved, so a busy moment on the shared machine hits both alike.
        for (var i = 0; i < 20; i++)
        {
            known.Add(await TimeAsync(client, Known));
            unknown.Add(await TimeAsync(client, Unknown));
        }

        // Assert
        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        output.WriteLine($"median of 20: known {knownMedian:N1} ms, unknown {unknownMedian:N1} ms");
        (Math.Abs(knownMedian - unknownMedian) / Math.Max(knownMedian, unknownMedian)).ShouldBeLessThan(0.2);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "wrong password", Known },
        { "unknown email", Unknown },
        { "deactivated", "lead.medway@fgc.example" },
        { "locked", "analyst@fgc.example" },
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

    /// <summary>One wrong-password sign-in, timed from post to page; the account's failure count is reset afterwards, untimed.</summary>
    private async Task<double> TimeAsync(HttpClient client, string email)
    {
        var form = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = "wrong-password-123",
        });
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content);
        await response.Content.ReadAsStringAsync();
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        if (await users.FindByEmailAsync(email) is { } user)
        {
            await users.ResetAccessFailedCountAsync(user); // so the known account is never locked: its password is really checked
        }

        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
