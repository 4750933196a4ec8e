using System.Security.Claims;
using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace FgcReturns.Web.Security;

/// <summary>
/// Settings of sign-in: DfE Sign-in (any OpenID Connect provider) under Authentication:Oidc, off while its Authority
/// is empty; local passwords under Authentication:LocalPasswords (on unless set to false).
/// </summary>
public sealed class SignInSettings
{
    public const string OidcSection = "Authentication:Oidc";

    public const string LocalPasswordsSetting = "Authentication:LocalPasswords";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Space- or comma-separated; openid is always asked for.</summary>
    public string Scopes { get; set; } = "openid email profile";

    /// <summary>Only the tests' loopback provider speaks plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// For a provider that only issues verified addresses but sends no email_verified claim. Otherwise a first
    /// sign-in is matched to an invitation only when the provider says email_verified: true.
    /// </summary>
    public bool EmailsAreVerified { get; set; }

    public string DisplayName { get; set; } = "DfE Sign-in";

    public bool LocalPasswords { get; set; } = true;

    public bool OidcEnabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary>
/// DfE Sign-in by OpenID Connect: authorisation code flow with PKCE; the provider's answer lands in Identity's
/// external cookie, and <see cref="ExternalSignIn"/> decides which invited user (if any) it is. The portal's own
/// cookie then carries the id token, so signing out can end the provider's session too.
/// </summary>
public static class DfeSignIn
{
    public const string Scheme = "DfeSignIn";
    public const string SignInPath = "/account/sign-in/dfe";
    public const string CallbackPath = "/account/sign-in/dfe/callback";
    public const string RefusedPath = "/account/sign-in-refused";

    public static AuthenticationBuilder AddDfeSignIn(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        auth.Services.AddOptions<SignInSettings>()
            .Bind(configuration.GetSection(SignInSettings.OidcSection))
            .Configure(o => o.LocalPasswords = configuration.GetValue(SignInSettings.LocalPasswordsSetting, true))
            .Validate(o => o.OidcEnabled || o.LocalPasswords,
                "Authentication:LocalPasswords is false but no Authentication:Oidc:Authority is set: nobody could sign in.")
            .Validate(o => !o.OidcEnabled || !string.IsNullOrWhiteSpace(o.ClientId),
                "Authentication:Oidc:ClientId must be set when Authentication:Oidc:Authority is.")
            .ValidateOnStart();
        auth.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<SignInSettings>>().Value);

        // Whether the OpenID Connect handler exists at all is a registration choice, so it is read from configuration here.
        if (string.IsNullOrWhiteSpace(configuration[$"{SignInSettings.OidcSection}:{nameof(SignInSettings.Authority)}"]))
        {
            return auth;
        }

        auth.AddOpenIdConnect(Scheme, configuration[$"{SignInSettings.OidcSection}:{nameof(SignInSettings.DisplayName)}"] ?? new SignInSettings().DisplayName, _ => { });
        auth.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<SignInSettings>>((o, signIn) =>
        {
            var settings = signIn.Value;
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be SameSite=Lax.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.Scope.Clear();
            foreach (var scope in settings.Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Append("openid").Distinct(StringComparer.Ordinal))
            {
                o.Scope.Add(scope);
            }

            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = true;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            // The id token for the end-session request is read from the portal's own cookie.
            o.SignOutScheme = IdentityConstants.ApplicationScheme;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.Events.OnRemoteFailure = context =>
            {
                // Cancelled at the provider, an expired or replayed response: a page that says so, not an exception.
                context.HttpContext.RequestServices.GetRequiredService<FgcMetrics>().SignInFailed(FgcMetrics.DfeSignIn, "provider-error");
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DfeSignIn))
                    .LogWarning("DfE Sign-in did not complete: {Error}", context.Failure?.GetType().Name);
                context.Response.Redirect(RefusedPath + "?reason=failed");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        // Secure outside Development, as the portal's own cookie (TLS ends at the proxy).
        auth.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IHostEnvironment>((o, env) =>
        {
            var secure = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.CorrelationCookie.SecurePolicy = secure;
            o.NonceCookie.SecurePolicy = secure;
        });
        return auth;
    }

    public static IEndpointRouteBuilder MapDfeSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPath, (string? returnUrl, SignInSettings settings, SignInManager<FgcUser> signIn) =>
        {
            if (!settings.OidcEnabled)
            {
                return Results.NotFound();
            }

            var callback = CallbackPath + "?returnUrl=" + Uri.EscapeDataString(LocalUrl(returnUrl));
            return Results.Challenge(signIn.ConfigureExternalAuthenticationProperties(Scheme, callback), [Scheme]);
        });

        endpoints.MapGet(CallbackPath, async (HttpContext context, string? returnUrl, SignInSettings settings, SignInManager<FgcUser> signIn,
            ExternalSignIn external, FgcMetrics metrics, ILoggerFactory loggers) =>
        {
            if (!settings.OidcEnabled)
            {
                return Results.NotFound();
            }

            var info = await signIn.GetExternalLoginInfoAsync();
            // The provider's answer has done its job: only the portal's own cookie stays.
            await context.SignOutAsync(IdentityConstants.ExternalScheme);
            if (info is null)
            {
                return Results.LocalRedirect("/account/sign-in");
            }

            var email = info.Principal.FindFirstValue(ClaimTypes.Email) ?? info.Principal.FindFirstValue("email");
            var verified = settings.EmailsAreVerified
                || string.Equals(info.Principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
            var outcome = await external.FindUserAsync(Scheme, settings.DisplayName, info.ProviderKey, email, verified);
            var logger = loggers.CreateLogger(typeof(DfeSignIn));
            if (outcome is not { Succeeded: true, User: { } user })
            {
                var reason = RefusalReason(outcome.Refusal);
                metrics.SignInFailed(FgcMetrics.DfeSignIn, reason);
                logger.LogWarning("DfE Sign-in refused: {Reason}", reason);
                return Results.LocalRedirect(RefusedPath + "?reason=" + reason);
            }

            var properties = new AuthenticationProperties();
            if (info.AuthenticationTokens?.FirstOrDefault(t => t.Name == OpenIdConnectParameterNames.IdToken) is { } idToken)
            {
                properties.StoreTokens([idToken]);
            }

            await signIn.SignInAsync(user, properties, Scheme);
            logger.LogInformation("User {UserId} signed in with DfE Sign-in", user.Id);
            return Results.LocalRedirect(LocalUrl(returnUrl));
        });
        return endpoints;
    }

    /// <summary>
    /// Ends the portal session and, for a person who came through DfE Sign-in, the provider's session too (its
    /// end-session endpoint, then back to the signed-out page). True when the response is that redirect.
    /// </summary>
    public static async Task<bool> SignOutOfProviderAsync(HttpContext context, SignInSettings settings)
    {
        if (!settings.OidcEnabled || await context.GetTokenAsync(IdentityConstants.ApplicationScheme, OpenIdConnectParameterNames.IdToken) is null)
        {
            return false;
        }

        await context.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = "/account/signed-out" });
        return true;
    }

    public static string RefusalReason(ExternalSignInRefusal? refusal) => refusal switch
    {
        ExternalSignInRefusal.Deactivated => "deactivated",
        ExternalSignInRefusal.EmailNotVerified => "email-not-verified",
        ExternalSignInRefusal.LinkedToAnotherAccount => "linked-to-another-account",
        _ => "not-invited",
    };

    /// <summary>Only a path on this site; anything else goes to the home page.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : "/";
}
