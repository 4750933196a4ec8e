using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FgcReturns.Web.Security;

/// <summary>
/// What the portal does about its hostile surroundings: a TLS-terminating proxy in front (forwarded headers from known
/// proxies only, Secure cookies, HSTS), response headers (Content-Security-Policy and friends, no-store), sign-in
/// rate limits by real client and by account, and the upload request-size limit.
/// </summary>
public static class Extensions
{
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    /// <summary>
    /// Blazor Server and GOV.UK Frontend need nothing but files from this site and the circuit's WebSocket to the
    /// same origin ('self' covers ws:/wss: to it). Nothing inline: the one inline script GOV.UK's template has is
    /// wwwroot/js/js-enabled.js.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; "
        + "manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
        + "microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), browsing-topics=()";

    public const string SignInRateLimitsSection = "SignInRateLimits";

    /// <summary>The sign-in form is small: a larger body is not read to find the email address.</summary>
    private const long SignInFormBytes = 16 * 1024;

    public static IServiceCollection AddWebSecurity(this IServiceCollection services)
    {
        // Behind the production proxy the app sees plain HTTP from the proxy's address. Only the proxies named in
        // ForwardedHeaders:KnownProxies / KnownNetworks (comma-separated) are believed; loopback is always believed.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((o, config) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var section = config.GetSection(ForwardedHeadersSection);
            foreach (var proxy in List(section["KnownProxies"]))
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in List(section["KnownNetworks"]))
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            // The default skips localhost; the portal is only served to browsers under its public name, and a test
            // through a loopback proxy must see what a browser would.
            o.ExcludedHosts.Clear();
        });

        // Outside Development the cookies are Secure whatever the scheme the app sees (TLS ends at the proxy).
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IHostEnvironment>((o, env) =>
            o.Cookie.SecurePolicy = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        // The antiforgery cookie follows the request's scheme (Secure behind the proxy): set to Always it makes the
        // form pages fail outright on plain HTTP instead of only not keeping anyone signed in.

        services.AddOptions<SignInRateLimits>().BindConfiguration(SignInRateLimitsSection);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // On top of Identity's per-account lockout. The client is the real one (forwarded headers run first);
            // the account limit stops one address being tried from many clients.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSignInPost(ctx)
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + (ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown"), _ => PerMinute(Limits(ctx).PerClient))
                    : RateLimitPartition.GetNoLimiter("other")),
                PartitionedRateLimiter.Create<HttpContext, string>(ctx => IsSignInPost(ctx) && PostedEmail(ctx) is { } email
                    ? RateLimitPartition.GetFixedWindowLimiter("account:" + email, _ => PerMinute(Limits(ctx).PerAccount))
                    : RateLimitPartition.GetNoLimiter("other")));
        });
        return services;
    }

    /// <summary>Forwarded headers and HSTS: call first, before anything reads the scheme or the client address.</summary>
    public static WebApplication UseForwardedHeadersAndHsts(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    /// <summary>Response headers, the upload size limit and the sign-in rate limits.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        // Signing out of DfE Sign-in is the sign-out form's redirect to the provider: form-action must allow it.
        var settings = app.Services.GetRequiredService<SignInSettings>();
        var contentSecurityPolicy = settings.OidcEnabled && Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority)
            ? ContentSecurityPolicy.Replace("form-action 'self'", "form-action 'self' " + authority.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            : ContentSecurityPolicy;
        app.Use(async (ctx, next) =>
        {
            var headers = ctx.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // Hangfire's dashboard (administrators only) is third-party markup with inline script and style.
            if (!ctx.Request.Path.StartsWithSegments("/admin/jobs"))
            {
                headers.ContentSecurityPolicy = contentSecurityPolicy;
            }

            // Pages and downloads hold LA data: never keep them in a shared or browser cache. Static files set
            // their own caching, which is left alone.
            ctx.Response.OnStarting(() =>
            {
                if (!ctx.Response.Headers.ContainsKey("Cache-Control"))
                {
                    ctx.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(ctx);
        });
        app.UseUploadRequestLimit();

        // The account rate limit needs the posted email address; the form is read (and kept for the page) first.
        app.Use(async (ctx, next) =>
        {
            if (IsSignInPost(ctx) && ctx.Request.HasFormContentType && ctx.Request.ContentLength is <= SignInFormBytes)
            {
                await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            }

            await next(ctx);
        });
        app.UseRateLimiter();
        return app;
    }

    private static bool IsSignInPost(HttpContext ctx) =>
        HttpMethods.IsPost(ctx.Request.Method)
        && (ctx.Request.Path.StartsWithSegments("/account/sign-in") || ctx.Request.Path.StartsWithSegments("/account/forgot-password"));

    private static string? PostedEmail(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType || ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form is not { } form)
        {
            return null;
        }

        var email = form["Input.Email"].FirstOrDefault() ?? form["Form.Email"].FirstOrDefault();
        return string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToUpperInvariant();
    }

    private static SignInRateLimits Limits(HttpContext ctx) => ctx.RequestServices.GetRequiredService<IOptions<SignInRateLimits>>().Value;

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };

    private static IEnumerable<string> List(string? setting) =>
        (setting ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
