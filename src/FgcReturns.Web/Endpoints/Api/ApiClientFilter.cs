using System.Threading.RateLimiting;
using FgcReturns.Core.ApiClients;

namespace FgcReturns.Web.Endpoints.Api;

/// <summary>
/// Every API request: recognise the client from its bearer secret (401 otherwise), then apply its own rate limit (429
/// with Retry-After). The endpoint gets the client as a principal scoped to the client's LA.
/// </summary>
public sealed class ApiClientFilter(ApiClientService clients, ApiRateLimiter limiter, ApiOptions options) : IEndpointFilter
{
    public const string PrincipalItem = "fgc:api-principal";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var client = await clients.AuthenticateAsync(secret, http.RequestAborted);
        if (client is null)
        {
            return ApiProblems.Unauthorized(http);
        }

        using var lease = limiter.Limiter.AttemptAcquire(client.Id);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            return ApiProblems.RateLimited(http, retryAfter, options.RequestsPerMinute);
        }

        http.Items[PrincipalItem] = ApiClientPrincipal.For(client);
        return await next(context);
    }
}

/// <summary>One fixed one-minute window per client, shared by every request in this process.</summary>
public sealed class ApiRateLimiter : IDisposable
{
    public ApiRateLimiter(ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Limiter = PartitionedRateLimiter.Create<int, int>(clientId => RateLimitPartition.GetFixedWindowLimiter(clientId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.RequestsPerMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    public PartitionedRateLimiter<int> Limiter { get; }

    public void Dispose() => Limiter.Dispose();
}
