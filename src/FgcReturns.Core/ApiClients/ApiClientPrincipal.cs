using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Identity;

namespace FgcReturns.Core.ApiClients;

/// <summary>
/// An API client acts as a data lead of its one LA, so the return service's LA scope and edit rules apply to it
/// unchanged. Audit rows name the client and the person who created it.
/// </summary>
public static class ApiClientPrincipal
{
    public const string AuthenticationType = "ApiClient";
    public const string ClientIdClaim = "fgc:api_client_id";
    public const string ClientNameClaim = "fgc:api_client_name";
    public const string CreatedByClaim = "fgc:api_client_created_by";

    public static ClaimsPrincipal For(ApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, client.CreatedByUserId),
                new Claim(ClaimTypes.Email, DisplayName(client)),
                new Claim(ClaimTypes.Role, Roles.LaDataLead),
                new Claim(FgcClaimTypes.LaCode, client.LaCode),
                new Claim(ClientIdClaim, client.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClientNameClaim, client.Name),
                new Claim(CreatedByClaim, client.CreatedByEmail),
            ],
            AuthenticationType);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>How the audit log and "last changed by" show a change made through the API.</summary>
    public static string DisplayName(ApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return $"API client '{client.Name}' (created by {client.CreatedByEmail})";
    }

    public static bool IsApiClient(this ClaimsPrincipal user) => user.FindFirst(ClientIdClaim) is not null;

    /// <summary>Audit detail naming the client, or null for a person.</summary>
    public static string? AuditDetail(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(ClientIdClaim) is { } id
            ? JsonSerializer.Serialize(new
            {
                apiClientId = int.Parse(id.Value, CultureInfo.InvariantCulture),
                apiClient = user.FindFirst(ClientNameClaim)?.Value,
                createdBy = user.FindFirst(CreatedByClaim)?.Value,
            })
            : null;
    }
}
