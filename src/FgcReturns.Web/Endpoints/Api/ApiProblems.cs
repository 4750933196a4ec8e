using System.Globalization;
using FgcReturns.Core.ApiClients;
using Microsoft.AspNetCore.Mvc;

namespace FgcReturns.Web.Endpoints.Api;

/// <summary>RFC 9457 problem details for every refusal, each type documented on the reference page.</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>Problem types are relative URIs to their explanation on the portal's API reference page.</summary>
    public static string TypeUri(string type) => "/api/reference#problem-" + type;

    public static IResult Problem(HttpContext http, int status, string type, string title, string detail, IReadOnlyList<ApiItemProblem>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var problem = new ProblemDetails
        {
            Type = TypeUri(type),
            Title = title,
            Status = status,
            Detail = detail,
            Instance = http.Request.Path,
        };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.Select(e => new Dictionary<string, string>
            {
                ["type"] = TypeUri(e.Type),
                ["pointer"] = e.Pointer,
                ["detail"] = e.Detail,
            }).ToList();
        }

        return Results.Json(problem, statusCode: status, contentType: ContentType);
    }

    public static IResult Unauthorized(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"FGC Returns API\", error=\"invalid_token\"";
        return Problem(http, StatusCodes.Status401Unauthorized, ApiProblemTypes.Unauthorized, "Not signed in",
            "Send your client secret as 'Authorization: Bearer fgc_...'. The secret is missing, wrong, expired or revoked: a data lead can create a new one on the API clients page.");
    }

    public static IResult NotFound(HttpContext http) =>
        Problem(http, StatusCodes.Status404NotFound, ApiProblemTypes.NotFound, "Not found", "There is no such return for your local authority.");

    public static IResult TooLarge(HttpContext http, int maxBytes) =>
        Problem(http, StatusCodes.Status413PayloadTooLarge, ApiProblemTypes.BodyTooLarge, "Request body too large",
            string.Create(CultureInfo.InvariantCulture, $"The request body must be {maxBytes:#,##0} bytes or fewer. A whole return is a few kilobytes."));

    public static IResult RateLimited(HttpContext http, TimeSpan retryAfter, int perMinute)
    {
        ArgumentNullException.ThrowIfNull(http);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problem(http, StatusCodes.Status429TooManyRequests, ApiProblemTypes.RateLimited, "Too many requests",
            string.Create(CultureInfo.InvariantCulture, $"Each client may make {perMinute} requests a minute. Try again in {seconds} seconds."));
    }

    public static IResult Malformed(HttpContext http, string detail) =>
        Problem(http, StatusCodes.Status400BadRequest, ApiProblemTypes.MalformedBody, "The body is not valid JSON", detail, [new ApiItemProblem(ApiProblemTypes.MalformedBody, "", detail)]);

    /// <summary>Turns what the return API decided into HTTP: 200 with the ETag, or the matching problem.</summary>
    public static IResult From(HttpContext http, ApiOutcome outcome, Func<ApiOutcome, IResult> ok)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(ok);
        return outcome.Kind switch
        {
            ApiOutcomeKind.Ok => ok(outcome),
            ApiOutcomeKind.NotFound => NotFound(http),
            ApiOutcomeKind.InvalidItems => Problem(http, StatusCodes.Status422UnprocessableEntity, ApiProblemTypes.InvalidValues, "Some items are not valid", outcome.Message!, outcome.Problems),
            ApiOutcomeKind.MalformedBody => Malformed(http, outcome.Message!),
            ApiOutcomeKind.PreconditionRequired => Problem(http, StatusCodes.Status428PreconditionRequired, ApiProblemTypes.PreconditionRequired, "If-Match is required", outcome.Message!),
            ApiOutcomeKind.PreconditionFailed => Problem(http, StatusCodes.Status412PreconditionFailed, ApiProblemTypes.PreconditionFailed, "The return has changed", outcome.Message!),
            ApiOutcomeKind.CollectionClosed => Problem(http, StatusCodes.Status409Conflict, ApiProblemTypes.CollectionClosed, "The collection is not open", outcome.Message!),
            ApiOutcomeKind.ReadOnly => Problem(http, StatusCodes.Status409Conflict, ApiProblemTypes.ReturnReadOnly, "The return cannot be changed", outcome.Message!),
            _ => Problem(http, StatusCodes.Status409Conflict, ApiProblemTypes.Conflict, "The return changed while saving", outcome.Message!),
        };
    }
}
