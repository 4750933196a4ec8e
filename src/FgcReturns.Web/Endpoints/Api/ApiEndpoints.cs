using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.ApiClients;

namespace FgcReturns.Web.Endpoints.Api;

/// <summary>The submission API, version 1: LA systems fill and check their returns; a person submits in the portal.</summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapSubmissionApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .AddEndpointFilter<ApiClientFilter>()
            .DisableAntiforgery()
            .WithTags("Submission API")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/collections", async (HttpContext http, ReturnApi returns, CancellationToken ct) =>
                Results.Ok(await returns.OpenCollectionsAsync(Client(http), ct)))
            .WithName("ListOpenCollections")
            .WithSummary("Open collections for your local authority, each with the return to fill")
            .Produces<IReadOnlyList<ApiCollection>>();

        api.MapGet("/returns/{returnId:int}", async (int returnId, HttpContext http, ReturnApi returns, CancellationToken ct) =>
            {
                var ret = await returns.ReadAsync(Client(http), returnId, ct);
                return ret is null ? ApiProblems.NotFound(http) : WithETag(http, ret);
            })
            .WithName("GetReturn")
            .WithSummary("Your return: values, status, ETag (its version) and the current validation result")
            .Produces<ApiReturn>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapMethods("/returns/{returnId:int}/values", [HttpMethods.Patch], async (int returnId, HttpContext http, ReturnApi returns, ApiOptions options, CancellationToken ct) =>
            {
                var (body, refused) = await ReadBodyAsync(http, options, allowEmpty: false);
                if (refused is not null)
                {
                    return refused;
                }

                var outcome = await returns.PatchValuesAsync(Client(http), returnId, http.Request.Headers.IfMatch.ToString(), body, ct);
                return ApiProblems.From(http, outcome, o => WithETag(http, o.Return!));
            })
            .WithName("PatchValues")
            .WithSummary("Change values: { \"item_key\": value, \"grid.row.column\": value, \"item\": null for not recorded }. If-Match is required; all or nothing")
            .Accepts<Dictionary<string, JsonElement>>("application/json")
            .Produces<ApiReturn>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        api.MapPost("/returns/{returnId:int}/validate", async (int returnId, HttpContext http, ReturnApi returns, ApiOptions options, CancellationToken ct) =>
            {
                var (body, refused) = await ReadBodyAsync(http, options, allowEmpty: true);
                if (refused is not null)
                {
                    return refused;
                }

                var outcome = await returns.DryRunAsync(Client(http), returnId, body, ct);
                return ApiProblems.From(http, outcome, o => Results.Ok(o.Validation));
            })
            .WithName("ValidateValues")
            .WithSummary("Dry run: the validation result the return would have with these values. Changes nothing")
            .Accepts<Dictionary<string, JsonElement>>("application/json")
            .Produces<ApiValidation>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapMethods("/returns/{returnId:int}/explanations", [HttpMethods.Patch], async (int returnId, HttpContext http, ReturnApi returns, ApiOptions options, CancellationToken ct) =>
            {
                var (body, refused) = await ReadBodyAsync(http, options, allowEmpty: false);
                if (refused is not null)
                {
                    return refused;
                }

                var outcome = await returns.PatchExplanationsAsync(Client(http), returnId, http.Request.Headers.IfMatch.ToString(), body, ct);
                return ApiProblems.From(http, outcome, o => WithETag(http, o.Return!));
            })
            .WithName("PatchExplanations")
            .WithSummary("Explain queries: { \"RULE-ID\": \"explanation\" or null to remove }. If-Match is required; all or nothing")
            .Accepts<Dictionary<string, string>>("application/json")
            .Produces<ApiReturn>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        return endpoints;
    }

    private static ClaimsPrincipal Client(HttpContext http) =>
        http.Items[ApiClientFilter.PrincipalItem] as ClaimsPrincipal ?? throw new InvalidOperationException("The API client filter did not run.");

    private static IResult WithETag(HttpContext http, ApiReturn ret)
    {
        http.Response.Headers.ETag = ret.ETag;
        return Results.Ok(ret);
    }

    /// <summary>Reads at most the configured number of bytes, whatever Content-Length says, and parses them as JSON.</summary>
    private static async Task<(JsonElement Body, IResult? Refused)> ReadBodyAsync(HttpContext http, ApiOptions options, bool allowEmpty)
    {
        if (http.Request.ContentLength > options.MaxBodyBytes)
        {
            return (default, ApiProblems.TooLarge(http, options.MaxBodyBytes));
        }

        var buffer = new byte[options.MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > options.MaxBodyBytes)
        {
            return (default, ApiProblems.TooLarge(http, options.MaxBodyBytes));
        }

        if (length == 0)
        {
            return allowEmpty
                ? (JsonDocument.Parse("{}").RootElement, null)
                : (default, ApiProblems.Malformed(http, "The body is empty: send a JSON object."));
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (default, ApiProblems.Malformed(http, "The body is not valid JSON" + where + "."));
        }
    }
}
