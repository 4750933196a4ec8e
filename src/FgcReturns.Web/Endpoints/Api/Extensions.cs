using FgcReturns.Core.ApiClients;
using Microsoft.OpenApi;

namespace FgcReturns.Web.Endpoints.Api;

public static class Extensions
{
    public const string OpenApiDocument = "v1";

    /// <summary>The submission API: its client filter, per-client rate limiter and its OpenAPI document.</summary>
    public static IServiceCollection AddSubmissionApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiRateLimiter>();
        services.AddScoped<ApiClientFilter>();
        services.AddOpenApi(OpenApiDocument, o =>
        {
            // Only the versioned API is documented; pages and downloads are for people.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true
                || d.RelativePath == "api/v1/collections";
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "FGC Returns submission API",
                    Version = "v1",
                    Description = "Fill and check your local authority's Family Group Conference return from your own systems. "
                        + "Authenticate with 'Authorization: Bearer <client secret>' (created by a data lead on the API clients page). "
                        + "Submission stays a person's act in the portal. Refusals are RFC 9457 problem details; see /api/reference.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The API client's secret, shown once when the client is created.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapSubmissionApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapSubmissionApiEndpoints();
        return app;
    }
}
