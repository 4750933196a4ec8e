namespace FgcReturns.Core.Audit;

/// <summary>Append-only record of every change; a database trigger refuses updates and deletes.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? UserId { get; init; }
    public string? UserEmail { get; init; }
    public string? LaCode { get; init; }
    public int? ReturnId { get; init; }
    public required string Action { get; init; }
    public string? ItemKey { get; init; }
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }

    /// <summary>form, upload, system or analyst.</summary>
    public string Source { get; init; } = "system";
    public string? Detail { get; init; }
}
