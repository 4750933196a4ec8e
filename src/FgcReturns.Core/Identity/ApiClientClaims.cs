using System.Globalization;
using System.Security.Claims;
using System.Text.Json;

namespace FgcReturns.Core.Identity;

/// <summary>
/// The claims that mark a principal as an API client (issued by ApiClients' ApiClientPrincipal). Kept with Identity so
/// that features writing audit lines (Returns) can name the client without depending on the API feature that uses them.
/// </summary>
public static class ApiClientClaims
{
    public const string ClientId = "fgc:api_client_id";
    public const string ClientName = "fgc:api_client_name";
    public const string CreatedBy = "fgc:api_client_created_by";

    public static bool IsApiClient(this ClaimsPrincipal user) => user.FindFirst(ClientId) is not null;

    /// <summary>Audit detail naming the client, or null for a person.</summary>
    public static string? AuditDetail(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(ClientId) is { } id
            ? JsonSerializer.Serialize(new
            {
                apiClientId = int.Parse(id.Value, CultureInfo.InvariantCulture),
                apiClient = user.FindFirst(ClientName)?.Value,
                createdBy = user.FindFirst(CreatedBy)?.Value,
            })
            : null;
    }
}
