using System.Security.Claims;
using System.Text.RegularExpressions;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Exports;
using FgcReturns.Core.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FgcReturns.Web.Endpoints;

/// <summary>
/// Benchmark downloads. National workbooks and open data: analysts only. An LA's workbook: that LA's data lead or an
/// analyst; for anyone else the LA does not exist (404), so codes cannot be probed. "Build now" for analysts.
/// </summary>
public static partial class BenchmarkDownloads
{
    public const string Prefix = "/benchmarks/downloads";

    public static IEndpointRouteBuilder MapBenchmarkDownloads(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix);

        // ?kind=final|provisional&view=suppressed|unsuppressed&collection=id
        group.MapGet("/{surveyId}/national.xlsx", async (string surveyId, string? kind, string? view, int? collection, BenchmarkExports exports, CancellationToken ct) =>
            !ValidSurvey(surveyId) ? Results.NotFound()
                : File(await exports.NationalWorkbookAsync(surveyId, ParseKind(kind), ParseView(view), collection, ct)))
            .RequireAuthorization(Roles.Analyst);

        group.MapGet("/{surveyId}/open-data.csv", async (string surveyId, int? collection, BenchmarkExports exports, CancellationToken ct) =>
            !ValidSurvey(surveyId) ? Results.NotFound() : File(await exports.OpenDataAsync(surveyId, metadata: false, collection, ct)))
            .RequireAuthorization(Roles.Analyst);

        group.MapGet("/{surveyId}/open-data.meta.csv", async (string surveyId, int? collection, BenchmarkExports exports, CancellationToken ct) =>
            !ValidSurvey(surveyId) ? Results.NotFound() : File(await exports.OpenDataAsync(surveyId, metadata: true, collection, ct)))
            .RequireAuthorization(Roles.Analyst);

        group.MapGet("/{surveyId}/la/{laCode}.xlsx", async (string surveyId, string laCode, int? collection, ClaimsPrincipal user, BenchmarkExports exports, CancellationToken ct) =>
            !ValidSurvey(surveyId) || !user.CanAccessLa(laCode) ? Results.NotFound()
                : File(await exports.LaWorkbookAsync(surveyId, laCode, collection, ct)))
            .RequireAuthorization();

        // A form field makes the framework check the antiforgery token.
        endpoints.MapPost("/benchmarks/build", ([FromForm] string surveyId, ClaimsPrincipal user, BenchmarkScheduler scheduler) =>
        {
            if (!ValidSurvey(surveyId))
            {
                return Results.NotFound();
            }

            scheduler.BuildNow(surveyId, user.Email());
            return Results.LocalRedirect("/benchmarks?requested=" + Uri.EscapeDataString(surveyId));
        }).RequireAuthorization(Roles.Analyst);
        return endpoints;
    }

    private static IResult File(ExportFile? file) =>
        file is null ? Results.NotFound() : Results.File(file.Content, file.ContentType, file.FileName);

    private static BenchmarkKind ParseKind(string? kind) =>
        string.Equals(kind, "provisional", StringComparison.OrdinalIgnoreCase) ? BenchmarkKind.Provisional : BenchmarkKind.Final;

    private static DisclosureView ParseView(string? view) =>
        string.Equals(view, "unsuppressed", StringComparison.OrdinalIgnoreCase) ? DisclosureView.Unsuppressed : DisclosureView.Suppressed;

    private static bool ValidSurvey(string surveyId) => SurveyIdPattern().IsMatch(surveyId);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,99}$")]
    private static partial Regex SurveyIdPattern();
}
