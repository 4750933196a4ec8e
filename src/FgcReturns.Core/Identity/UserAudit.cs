using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Audit;

namespace FgcReturns.Core.Identity;

/// <summary>The audit line for a change to a user: by an administrator, or by the system for the person's own acts.</summary>
internal static class UserAudit
{
    public static AuditEvent Event(DateTimeOffset at, ClaimsPrincipal? actor, FgcUser target, string action, string? oldValue, string? newValue) => new()
    {
        OccurredAt = at,
        UserId = actor?.UserId() ?? target.Id,
        UserEmail = actor?.Email() ?? target.Email,
        LaCode = target.LaCode,
        Action = action,
        OldValue = oldValue,
        NewValue = newValue,
        Source = actor is null ? "system" : UserAdminService.AuditSource,
        Detail = JsonSerializer.Serialize(new { userId = target.Id, email = target.Email }),
    };
}
