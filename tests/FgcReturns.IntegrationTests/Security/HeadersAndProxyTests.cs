using System.Net;
using System.Text.RegularExpressions;
using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>
/// Response headers, and the production shape: TLS ends at a proxy that forwards plain HTTP with X-Forwarded-* headers.
/// The host runs as Production on a real Kestrel port; the test client plays the proxy from loopback.
/// </summary>
public sealed partial class HeadersAndProxyTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["SignInRateLimits:PerClient"] = "4",
            ["SignInRateLimits:PerAccount"] = "3",
        });
        factory.StartKestrel();
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task AnyPage_ContentSecurityPolicy_SelfOnlyNoInlineNoContradiction()
    {
        // Arrange
        using var client = Client();

        // Act
        using var response = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        // Assert
        csp.ShouldContain("default-src 'self'");
        csp.ShouldContain("script-src 'self';");
        csp.ShouldContain("style-src 'self';");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("object-src 'none'");
        csp.ShouldNotContain("unsafe");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=()");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        InlineScript().IsMatch(html).ShouldBeFalse("the page has an inline script, which the policy blocks");
        html.ShouldNotContain(" style=\"");
    }

    [Fact]
    public async Task TemplateDownload_LaData_IsNeverCached()
    {
        // Arrange
        using var client = Client();
        await SignInBehindProxyAsync(client, TestData.Users.MedwayLead, "198.51.100.7");
        var ret = await factory.OpenReturnAsync(TestData.Medway);

        // Act
        using var response = await client.GetAsync(new Uri($"/returns/{ret.Id}/template.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task BehindTlsProxy_SignIn_SecureCookiesAndHsts()
    {
        // Arrange
        using var client = Client();

        // Act: the proxy says the browser used HTTPS.
        var response = await SignInBehindProxyAsync(client, TestData.Users.LeicesterLead, "198.51.100.8");
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        cookies.ShouldContain(c => c.StartsWith("fgc-returns=", StringComparison.Ordinal));
        cookies.ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase)); // the antiforgery cookie too, over HTTPS
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldStartWith("max-age=31536000");
    }

    [Fact]
    public async Task BehindTlsProxy_PlainHttpFromTheProxy_SignInCookieStillSecure()
    {
        // Arrange
        using var client = Client();

        // Act: no X-Forwarded-Proto (a misconfigured proxy): the sign-in cookie still never travels over plain HTTP.
        var response = await SignInBehindProxyAsync(client, TestData.Users.LeicesterLead, "198.51.100.9", https: false);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fgc-returns=", StringComparison.Ordinal))
            .ShouldContain("secure", Case.Insensitive);
    }

    [Fact]
    public async Task SignInRateLimit_ManyClientsBehindOneProxy_EachHasItsOwnLimit()
    {
        // Arrange: the limit is 4 a minute per client here; one client uses it up with four different emails.
        using var client = Client();
        for (var i = 0; i < 4; i++)
        {
            (await SignInBehindProxyAsync(client, $"someone{i}@fgc.example", "203.0.113.1", "wrong-password")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        var sameClient = await SignInBehindProxyAsync(client, "someone9@fgc.example", "203.0.113.1", "wrong-password");
        var otherClient = await SignInBehindProxyAsync(client, "someone9@fgc.example", "203.0.113.2", "wrong-password");

        // Assert: the limit follows the real client, not the proxy's address that every request comes from.
        sameClient.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        otherClient.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignInRateLimit_OneAccountFromManyClients_IsLimited()
    {
        // Arrange: the limit is 3 a minute per account here.
        using var client = Client();
        for (var i = 0; i < 3; i++)
        {
            (await SignInBehindProxyAsync(client, "target@fgc.example", $"192.0.2.{i + 10}", "wrong-password")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Act
        var fourth = await SignInBehindProxyAsync(client, "TARGET@fgc.example", "192.0.2.99", "wrong-password");

        // Assert
        fourth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    private HttpClient Client() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, disposeHandler: true) { BaseAddress = factory.ServerAddress };

    /// <summary>Signs in as a TLS-terminating proxy would pass it on: X-Forwarded-For and X-Forwarded-Proto: https.</summary>
    private static async Task<HttpResponseMessage> SignInBehindProxyAsync(
        HttpClient client, string email, string clientAddress, string password = SignInExtensions.DemoPassword, bool https = true)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        Forwarded(get, clientAddress, https);
        using var form = await client.SendAsync(get);
        var html = await form.Content.ReadAsStringAsync();
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-in",
                ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(html),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        Forwarded(post, clientAddress, https);
        var response = await client.SendAsync(post);
        var authCookie = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.FirstOrDefault(c => c.StartsWith("fgc-returns=", StringComparison.Ordinal)) : null;
        if (authCookie is not null)
        {
            client.DefaultRequestHeaders.Remove("Cookie");
            client.DefaultRequestHeaders.Add("Cookie", authCookie.Split(';')[0]);
        }

        return response;
    }

    private static void Forwarded(HttpRequestMessage request, string clientAddress, bool https)
    {
        request.Headers.Add("X-Forwarded-For", clientAddress);
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
