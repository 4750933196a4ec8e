using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
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
        Detail = ApiClientClaims.AuditDetail(user),
    };
}

/// <summary>The audit row's note that a change knowingly replaced a colleague's answer, so that colleague can be told.</summary>
internal static class AuditEventReplacement
{
    public static AuditEvent Replacing(this AuditEvent audit, ReplacedColleague colleague) => new()
    {
        OccurredAt = audit.OccurredAt,
        UserId = audit.UserId,
        UserEmail = audit.UserEmail,
        LaCode = audit.LaCode,
        ReturnId = audit.ReturnId,
        Action = audit.Action,
        ItemKey = audit.ItemKey,
        OldValue = audit.OldValue,
        NewValue = audit.NewValue,
        Source = audit.Source,
        Detail = JsonSerializer.Serialize(new { replacedUserId = colleague.UserId, replacedEmail = colleague.Email }),
    };

    public static string? ReplacedUserId(AuditEvent audit)
    {
        if (audit.Detail is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(audit.Detail);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("replacedUserId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
