using System.Net;

namespace FgcReturns.TestSupport;

/// <summary>The page a browser would end on, and the address it is at.</summary>
public sealed record LandedPage(HttpStatusCode Status, Uri Address, string Body);

/// <summary>
/// Drives the DfE Sign-in round trip without a browser: the portal client (the test server's, with its cookies)
/// and a provider client (real HTTP to the loopback provider, with its own cookies) follow each other's redirects,
/// and the provider's sign-in form is filled in when it appears, as a browser and a person would.
/// </summary>
public static class OidcSignInExtensions
{
    public static HttpClient CreateProviderClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });

    public static Task<LandedPage> SignInWithDfeAsync(this HttpClient portal, HttpClient providerClient, TestOidcProvider provider, TestOidcUser? user) =>
        portal.FollowAsync(providerClient, provider, new Uri("/account/sign-in/dfe?returnUrl=%2F", UriKind.Relative), user);

    /// <summary>Posts the portal's sign-out form (antiforgery token from the home page) and follows where it leads.</summary>
    public static async Task<LandedPage> SignOutAsync(this HttpClient portal, HttpClient providerClient, TestOidcProvider provider)
    {
        var home = await portal.GetStringAsync(new Uri("/", UriKind.Relative));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(home) });
        using var response = await portal.PostAsync(new Uri("/account/sign-out", UriKind.Relative), form);
        return await portal.FollowAsync(providerClient, provider, response, null);
    }

    private static async Task<LandedPage> FollowAsync(this HttpClient portal, HttpClient providerClient, TestOidcProvider provider, Uri start, TestOidcUser? user)
    {
        using var first = await portal.GetAsync(start);
        return await portal.FollowAsync(providerClient, provider, first, user);
    }

    private static async Task<LandedPage> FollowAsync(this HttpClient portal, HttpClient providerClient, TestOidcProvider provider, HttpResponseMessage response, TestOidcUser? user)
    {
        var address = response.RequestMessage!.RequestUri!;
        var current = response;
        for (var hop = 0; hop < 12; hop++)
        {
            if (current.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect))
            {
                var body = await current.Content.ReadAsStringAsync();
                var atProviderLogin = address.Authority == provider.Authority.Authority && address.AbsolutePath == "/login";
                if (!atProviderLogin || user is null)
                {
                    return new LandedPage(current.StatusCode, address, body);
                }

                // The provider's own sign-in page: fill it in once.
                var returnUrl = System.Web.HttpUtility.ParseQueryString(address.Query)["ReturnUrl"] ?? "/";
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["username"] = user.Email,
                    ["password"] = user.Password,
                    ["returnUrl"] = returnUrl,
                });
                current = await providerClient.PostAsync(new Uri(provider.Authority, "/login"), form);
                address = new Uri(provider.Authority, "/login");
                user = null;
                continue;
            }

            var location = current.Headers.Location!;
            address = location.IsAbsoluteUri ? location : new Uri(address, location);
            current = address.Authority == provider.Authority.Authority
                ? await providerClient.GetAsync(address)
                : await portal.GetAsync(new Uri(address.PathAndQuery, UriKind.Relative));
        }

        throw new InvalidOperationException("More than 12 redirects: the sign-in round trip is looping.");
    }
}
