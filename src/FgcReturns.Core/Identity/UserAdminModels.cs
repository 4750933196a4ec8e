namespace FgcReturns.Core.Identity;

/// <summary>One user as the users page and the LA's team page show them.</summary>
public sealed record UserSummary(
    string Id,
    string DisplayName,
    string Email,
    string? Role,
    string? LaCode,
    string? LaName,
    bool IsActive,
    bool PasswordSet,
    DateTimeOffset? InvitationExpiresAt)
{
    public bool InvitationPending => !PasswordSet && InvitationExpiresAt is not null;
}

/// <summary>What an administrator enters to invite a user or change their access.</summary>
public sealed record UserAccess(string? Role, string? LaCode);

public sealed record FieldError(string Field, string Message);

/// <summary>A user's access as an administrator's page showed it, so a change made meanwhile by another is not overwritten.</summary>
public sealed record SeenUser(string? Role, string? LaCode, bool IsActive);

public sealed record AdminOutcome(bool Succeeded, bool Found, IReadOnlyList<FieldError> Errors, string? UserId = null)
{
    public static readonly AdminOutcome NotFound = new(false, false, [new FieldError("", "User not found.")]);
    public static readonly AdminOutcome Forbidden = new(false, false, [new FieldError("", "Only administrators can manage users.")]);

    public static AdminOutcome Done(string? userId = null) => new(true, true, [], userId);

    public static AdminOutcome Refused(params FieldError[] errors) => new(false, true, errors);

    public static AdminOutcome Refused(IReadOnlyList<FieldError> errors) => new(false, true, errors);

    public string? Message => Errors.Count == 0 ? null : string.Join(" ", Errors.Select(e => e.Message));
}

/// <summary>Whether a set-password link can be used, and whose it is.</summary>
public sealed record PasswordLinkCheck(bool Valid, string? Problem, string? Email, InvitationPurpose Purpose);
