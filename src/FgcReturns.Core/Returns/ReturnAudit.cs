using System.Security.Claims;
using FgcReturns.Core.ApiClients;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Identity;

namespace FgcReturns.Core.Returns;

/// <summary>The one way an audit row about a return is made, by the LA's form, an upload or an analyst.</summary>
internal static class ReturnAudit
{
    public static AuditEvent Event(ClaimsPrincipal user, LaReturn ret, string action, DateTimeOffset at, string source, string? key, string? oldValue, string? newValue) => new()
    {
        OccurredAt = at,
        UserId = user.UserId(),
        UserEmail = user.Email(),
        LaCode = ret.LaCode,
        ReturnId = ret.Id,
        Action = action,
        ItemKey = key,
        OldValue = oldValue,
        NewValue = newValue,
        // A change through the submission API is marked as such, whichever save path made it.
        Source = user.IsApiClient() ? "api" : source,
        Detail = ApiClientPrincipal.AuditDetail(user),
    };
}
