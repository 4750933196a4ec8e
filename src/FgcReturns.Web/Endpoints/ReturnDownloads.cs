using FgcReturns.Core.Returns;

namespace FgcReturns.Web.Endpoints;

public static class ReturnDownloads
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapReturnDownloads(this IEndpointRouteBuilder endpoints)
    {
        // The template is filled with the return's current answers; another LA's return is "not found".
        endpoints.MapGet("/returns/{returnId:int}/template.xlsx", async (int returnId, HttpContext http, ReturnService returns, ReturnUploadService uploads, CancellationToken ct) =>
        {
            var context = await returns.GetAsync(http.User, returnId, ct);
            var stream = context is null ? null : await uploads.TemplateAsync(http.User, returnId, ct);
            return stream is null || context is null
                ? Results.NotFound()
                : Results.File(stream, XlsxContentType, ReturnUploadService.TemplateFileName(context));
        }).RequireAuthorization();
        return endpoints;
    }
}
