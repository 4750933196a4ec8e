using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Postgres;
using FgcReturns.Web.Components;
using FgcReturns.Web.Endpoints;
using FgcReturns.Web.Endpoints.Api;
using FgcReturns.Web.Security;
using FgcReturns.Web.Telemetry;
using Hangfire;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;

namespace FgcReturns.Web;

public static class Extensions
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, Components.Account.IdentityRevalidatingAuthenticationStateProvider>();
        services.AddHttpContextAccessor();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, Telemetry.CircuitLogScope>();
        services.AddLogSafety();

        // Identity cookies, and DfE Sign-in (OpenID Connect) when configured, linked to FgcUser through Identity's
        // external logins.
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddDfeSignIn(configuration).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "fgc-returns";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Always outside Development: Security/Extensions.cs
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;

            // A signed-in user without the role gets a plain 403 page, not a redirect dance.
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        // Deactivated users are signed out at their next request.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Administrator, p => p.RequireRole(Roles.Administrator))
            .AddPolicy(Roles.Analyst, p => p.RequireRole(Roles.Analyst, Roles.Administrator))
            .AddPolicy(Roles.LaDataLead, p => p.RequireRole(Roles.LaDataLead));

        services.AddWebSecurity();
        services.AddSubmissionApi();
        services.AddHealthChecks().AddDbContextCheck<FgcDbContext>("database", tags: ["ready"]);
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseForwardedHeadersAndHsts();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error/500", createScopeForErrors: true);
        }

        // Links in emails go where this portal really listens unless its public address is configured.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var email = app.Services.GetRequiredService<EmailOptions>();
            var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (string.IsNullOrWhiteSpace(email.PortalBaseUrl) && listening is not null)
            {
                email.PortalBaseUrl = EmailOptions.BrowserAddress(listening);
            }
        });

        if (app.Services.GetService<PrivatePostgresCluster>() is { } cluster)
        {
            app.Lifetime.ApplicationStopped.Register(cluster.Stop);
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseWebSecurity();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            // Authorisation is the endpoint policy below; Hangfire's default filter would allow only local requests.
            Authorization = [],
            DashboardTitle = "FGC Returns jobs",
        }).RequireAuthorization(Roles.Administrator);
        app.MapAccountEndpoints();
        app.MapDfeSignIn();
        app.MapBenchmarkDownloads();
        app.MapReturnDownloads();
        app.MapDefinitionDownloads();
        app.MapCollectionExports();
        app.MapSubmissionApi();
        app.MapTrackerDownloads();
        // The full Content-Security-Policy (Security/Extensions.cs) already says frame-ancestors 'none'; Blazor's own
        // second header (frame-ancestors 'self') contradicted it and X-Frame-Options: DENY.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
