using FgcReturns.Core.Returns;
using Microsoft.AspNetCore.WebUtilities;

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

        // Every problem of a refused upload. The file is read again and each problem written as it is found, through
        // a buffer that spills to disk, so a file with a quarter of a million problems costs no more memory than one.
        endpoints.MapGet("/returns/{returnId:int}/upload/problems/{refusedId:guid}.csv", async (int returnId, Guid refusedId, HttpContext http, ReturnUploadService uploads, CancellationToken ct) =>
        {
            await using var buffer = new FileBufferingWriteStream();
            await using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
            {
                if (!await uploads.WriteProblemListAsync(http.User, returnId, refusedId, writer, ct))
                {
                    return Results.NotFound();
                }
            }

            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"upload-problems-{returnId}.csv\"";
            await buffer.DrainBufferAsync(http.Response.Body, ct);
            return Results.Empty;
        }).RequireAuthorization();
        return endpoints;
    }
}
