using FgcReturns.Core.Returns;
using FgcReturns.Core.Tracker;

namespace FgcReturns.Web.Endpoints;

public static class TrackerDownloads
{
    public static IEndpointRouteBuilder MapTrackerDownloads(this IEndpointRouteBuilder endpoints)
    {
        // The tracker template of the return's definition; another LA's return is "not found".
        endpoints.MapGet("/returns/{returnId:int}/tracker-template.xlsx", async (int returnId, HttpContext http, ReturnService returns, CancellationToken ct) =>
        {
            var context = await returns.GetAsync(http.User, returnId, ct);
            if (context?.Definition.Tracker is null)
            {
                return Results.NotFound();
            }

            var output = new MemoryStream();
            TrackerTemplateWriter.Write(output, context.Definition);
            output.Position = 0;
            return Results.File(output, ReturnDownloads.XlsxContentType, $"fgc-tracker-{context.Definition.SurveyId}-{context.Definition.Version}.xlsx");
        }).RequireAuthorization();
        return endpoints;
    }
}
