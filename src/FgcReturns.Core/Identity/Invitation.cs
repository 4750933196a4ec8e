namespace FgcReturns.Core.Identity;

public enum InvitationPurpose { Invitation, PasswordReset }

/// <summary>
/// A one-time link that lets a user set their password: an invitation (7 days) or a password reset (2 hours).
/// Only the SHA-256 hash of the token is stored; the token itself is only ever in the email.
/// </summary>
public sealed class Invitation
{
    public long Id { get; init; }
    public required string UserId { get; init; }
    public InvitationPurpose Purpose { get; init; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Set when a newer link replaces this one, or the user is deactivated.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
