using System.Globalization;
using System.Security.Claims;
using FgcReturns.Core.Identity;

namespace FgcReturns.Core.ApiClients;

/// <summary>
/// An API client acts as a data lead of its one LA, so the return service's LA scope and edit rules apply to it
/// unchanged. Audit rows name the client and the person who created it.
/// </summary>
public static class ApiClientPrincipal
{
    public const string AuthenticationType = "ApiClient";

    public static ClaimsPrincipal For(ApiClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, client.CreatedByUserId),
                new Claim(ClaimTypes.Email, DisplayName(client)),
                new Claim(ClaimTypes.Role, Roles.LaDataLead),
                new Claim(FgcClaimTypes.LaCode, client.LaCode),
                new Claim(ApiClientClaims.ClientId, client.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ApiClientClaims.ClientName, client.Name),
                new Claim(ApiClientClaims.CreatedBy, client.CreatedByEmail),
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
}
