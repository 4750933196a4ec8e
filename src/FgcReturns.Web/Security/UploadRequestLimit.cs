using FgcReturns.Core.Uploads;
using Microsoft.AspNetCore.Http.Features;

namespace FgcReturns.Web.Security;

/// <summary>
/// The request-size limit for upload endpoints (<see cref="FileUploadEndpointAttribute"/>). A body over the limit is
/// read and thrown away (never kept), then the person is sent back to the page, which shows "The file is larger than
/// 5 MB". Without this, Kestrel's 30 MB limit broke the form reader and the antiforgery check showed a bare error page.
/// </summary>
public static class UploadRequestLimit
{
    /// <summary>The query value the page turns into <see cref="ReturnUploadReader.TooLargeMessage"/>.</summary>
    public const string TooLargeProblem = "too-large";

    /// <summary>A 5 MB file plus room for the form around it. A file between 5 MB and this is refused by the reader, with the same words.</summary>
    public const long MaxRequestBytes = ReturnUploadReader.MaxBytes + (256 * 1024);

    /// <summary>
    /// The most thrown away so that a browser still sees the answer (it stops listening if the connection closes
    /// while it sends). Beyond this the connection is closed: nobody uploads 512 MB by mistake.
    /// </summary>
    public const long MaxDrainedBytes = 512L * 1024 * 1024;

    public static IApplicationBuilder UseUploadRequestLimit(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (!HttpMethods.IsPost(ctx.Request.Method) || ctx.GetEndpoint()?.Metadata.GetMetadata<FileUploadEndpointAttribute>() is null)
        {
            await next(ctx);
            return;
        }

        var sizeFeature = ctx.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxDrainedBytes;
        }

        var body = ctx.Request.Body;
        if (ctx.Request.ContentLength is { } declared)
        {
            if (declared <= MaxRequestBytes)
            {
                await next(ctx);
                return;
            }
        }
        else
        {
            // No declared length (chunked): keep up to the limit (on disk past 64 KB), then decide.
            ctx.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxRequestBytes);
            if (await WithinLimitAsync(ctx.Request.Body, ctx.RequestAborted))
            {
                ctx.Request.Body.Position = 0;
                await next(ctx);
                return;
            }
        }

        if (!await DrainAsync(body, ctx.RequestAborted))
        {
            ctx.Abort();
            return;
        }

        // 303: the browser follows with a GET, so the refused form is not posted again on reload.
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = ctx.Request.PathBase + ctx.Request.Path + "?problem=" + TooLargeProblem;
        ctx.Response.Headers.CacheControl = "no-store";
    });

    private static async Task<bool> WithinLimitAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[81920];
        try
        {
            while (await body.ReadAsync(buffer, ct) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return false; // FileBufferingReadStream: "Request content size exceeded the limit".
        }
    }

    private static async Task<bool> DrainAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[81920];
        try
        {
            while (await body.ReadAsync(buffer, ct) > 0)
            {
            }

            return true;
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }
}
