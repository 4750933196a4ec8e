using FgcReturns.Core.Collections;
using FgcReturns.Core.Identity;

namespace FgcReturns.Web.Endpoints;

/// <summary>The chase list of a collection as CSV or Excel, with the same filters and sort as the page's query string.</summary>
public static class CollectionExports
{
    public static string CsvHref(int collectionId, DashboardQuery query) => $"/collections/{collectionId}/dashboard.csv{query?.ToQueryString()}";

    public static string XlsxHref(int collectionId, DashboardQuery query) => $"/collections/{collectionId}/dashboard.xlsx{query?.ToQueryString()}";

    public static IEndpointRouteBuilder MapCollectionExports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/collections/{collectionId:int}/dashboard.csv", async (int collectionId, HttpContext http, CollectionService collections, CancellationToken ct) =>
        {
            if (await collections.DashboardAsync(http.User, collectionId, QueryOf(http.Request), ct) is not { } dashboard)
            {
                return Results.NotFound();
            }

            var stream = new MemoryStream();
            await DashboardExport.WriteCsvAsync(dashboard, stream, ct);
            stream.Position = 0;
            return Results.File(stream, DashboardExport.CsvContentType + "; charset=utf-8", DashboardExport.FileName(dashboard.Collection, "csv"));
        }).RequireAuthorization(Roles.Analyst);

        endpoints.MapGet("/collections/{collectionId:int}/dashboard.xlsx", async (int collectionId, HttpContext http, CollectionService collections, CancellationToken ct) =>
        {
            if (await collections.DashboardAsync(http.User, collectionId, QueryOf(http.Request), ct) is not { } dashboard)
            {
                return Results.NotFound();
            }

            // ClosedXML needs a seekable stream; the workbook is small (153 rows).
            var stream = new MemoryStream();
            DashboardExport.WriteXlsx(dashboard, stream);
            stream.Position = 0;
            return Results.File(stream, DashboardExport.XlsxContentType, DashboardExport.FileName(dashboard.Collection, "xlsx"));
        }).RequireAuthorization(Roles.Analyst);
        return endpoints;
    }

    private static DashboardQuery QueryOf(HttpRequest request) =>
        DashboardQuery.Parse(request.Query["status"], request.Query["region"], request.Query["sort"], request.Query["dir"]);
}
