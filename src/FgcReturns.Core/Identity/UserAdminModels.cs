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

/// <summary>A user's access as an administrator's page showed it, so a change made meanwhile by another is not overwritten.</summary>
public sealed record SeenUser(string? Role, string? LaCode, bool IsActive);

/// <summary>What user administration and the set-password page return: an <see cref="Outcome"/> carrying the user's id.</summary>
public static class AdminOutcome
{
    public static readonly Outcome<string> NotFound = Outcome.NotFound("User not found.").As<string>();
    public static readonly Outcome<string> Forbidden = Outcome.Forbidden("Only administrators can manage users.").As<string>();

    public static Outcome<string> Done(string userId) => Outcome.Done(userId);

    public static Outcome<string> Refused(params Problem[] problems) => Outcome.Refused(problems).As<string>();

    public static Outcome<string> Refused(IReadOnlyList<Problem> problems) => Outcome.Refused(problems).As<string>();
}

/// <summary>Whether a set-password link can be used, and whose it is.</summary>
public sealed record PasswordLinkCheck(bool Valid, string? Problem, string? Email, InvitationPurpose Purpose);
