using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FgcReturns.TestSupport;

/// <summary>A person with an account at the tests' OpenID Connect provider (not necessarily invited to the portal).</summary>
public sealed class TestOidcUser(string subject, string email, string password = TestOidcProvider.DefaultPassword)
{
    public string Subject { get; } = subject;

    /// <summary>Settable: a person can change their address at the provider between sign-ins.</summary>
    public string Email { get; set; } = email;

    public bool EmailVerified { get; set; } = true;

    public string Password { get; } = password;

    public string Name { get; set; } = email;
}

/// <summary>
/// A small OpenID Connect provider standing in for DfE Sign-in: OpenIddict's server on a real loopback Kestrel port
/// (http://localhost:port, a different site from the portal's 127.0.0.1), with a sign-in page of its own, a test user
/// store, authorisation code flow with PKCE required, and an end-session endpoint. The one client, its secret and
/// its redirect addresses are checked by the handlers below (OpenIddict's degraded mode: no database of clients).
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "fgc-returns";
    public const string ClientSecret = "test-client-secret-not-for-production";
    public const string DefaultPassword = "provider-password-1";

    private readonly WebApplication app;

    private TestOidcProvider(WebApplication app, Uri authority)
    {
        this.app = app;
        Authority = authority;
    }

    public Uri Authority { get; }

    public ConcurrentDictionary<string, TestOidcUser> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>End-session requests received, in order (their post-logout address).</summary>
    public ConcurrentQueue<string?> EndSessions { get; } = new();

    /// <summary>Token requests that carried the PKCE code verifier.</summary>
    public int TokenRequestsWithVerifier => tokenRequestsWithVerifier;

    private int tokenRequestsWithVerifier;

    /// <summary>The portal's settings to use this provider.</summary>
    public IDictionary<string, string?> PortalSettings => new Dictionary<string, string?>
    {
        ["Authentication:Oidc:Authority"] = Authority.ToString(),
        ["Authentication:Oidc:ClientId"] = ClientId,
        ["Authentication:Oidc:ClientSecret"] = ClientSecret,
        ["Authentication:Oidc:Scopes"] = "openid email profile",
        ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
    };

    public TestOidcUser AddUser(string subject, string email, bool emailVerified = true)
    {
        var user = new TestOidcUser(subject, email) { EmailVerified = emailVerified };
        Users[subject] = user;
        return user;
    }

    public static async Task<TestOidcProvider> StartAsync()
    {
        var port = FreePort();
        var authority = new Uri($"http://localhost:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development", ApplicationName = typeof(TestOidcProvider).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(authority.ToString().TrimEnd('/'));
        TestOidcProvider? provider = null;

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "test-provider-session";
            o.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetIssuer(authority);
            o.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.EnableDegradedMode();
            o.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (!IsPortalAddress(context.RedirectUri, "/signin-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect address is not the portal's.");
                }

                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.Request.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "The client's credentials are wrong.");
                }
                else if (!string.IsNullOrEmpty(context.Request.CodeVerifier))
                {
                    Interlocked.Increment(ref provider!.tokenRequestsWithVerifier);
                }

                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } address && !IsPortalAddress(address, "/signout-callback-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The post-logout address is not the portal's.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        provider = new TestOidcProvider(app, authority);
        app.UseAuthentication();
        app.MapGet("/login", (string? returnUrl) => LoginPage(returnUrl, null));
        app.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            var user = provider.Users.Values.FirstOrDefault(u => string.Equals(u.Email, form["username"].ToString(), StringComparison.OrdinalIgnoreCase));
            if (user is null || user.Password != form["password"].ToString())
            {
                return LoginPage(returnUrl, "Wrong username or password");
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Subject)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/");
        });
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!session.Succeeded || !provider.Users.TryGetValue(session.Principal.FindFirstValue(ClaimTypes.NameIdentifier)!, out var user))
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.Path + context.Request.QueryString }, [CookieAuthenticationDefaults.AuthenticationScheme]);
            }

            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject)
                .SetClaim(Claims.Email, user.Email)
                .SetClaim(Claims.Name, user.Name);
            identity.AddClaim(Claims.EmailVerified, user.EmailVerified);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapMethods("/connect/logout", ["GET", "POST"], async (HttpContext context) =>
        {
            provider.EndSessions.Enqueue(context.GetOpenIddictServerRequest()?.PostLogoutRedirectUri);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
        app.MapGet("/", () => Results.Content("<!DOCTYPE html><html lang=\"en\"><head><title>Test provider</title></head><body><h1>Test provider</h1></body></html>", "text/html"));

        await app.StartAsync();
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static bool IsPortalAddress(string? address, string path) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.AbsolutePath == path;

    private static IResult LoginPage(string? returnUrl, string? error)
    {
        var encoder = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p id=\"error\" role=\"alert\">{encoder.Encode(error)}</p>";
        return Results.Content(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><title>Sign in – Test provider</title></head>
            <body><main>
            <h1>Sign in to the test provider</h1>
            {message}
            <form method="post" action="/login">
              <input type="hidden" name="returnUrl" value="{encoder.Encode(returnUrl ?? "/")}" />
              <label for="username">Email address</label> <input id="username" name="username" type="email" />
              <label for="password">Password</label> <input id="password" name="password" type="password" />
              <button type="submit">Sign in</button>
            </form>
            </main></body></html>
            """,
            "text/html");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
