using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Identity;

/// <summary>
/// One-time, expiring set-password links: invitations (sent by <see cref="UserAdminService"/>) and password resets a
/// person asks for. Only the hash of a link's token is stored; a link is used up only when a password is accepted.
/// </summary>
public sealed class PasswordLinkService(FgcDbContext db, UserManager<FgcUser> users, IEmailSender email, EmailOptions emailOptions, TimeProvider clock)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(2);

    /// <summary>
    /// Emails a password reset link when an active account has this address; does nothing otherwise, so the page
    /// says the same either way and nobody can probe for accounts.
    /// </summary>
    public async Task RequestPasswordResetAsync(string? emailAddress, CancellationToken ct = default)
    {
        var address = emailAddress?.Trim() ?? "";
        if (address.Length == 0 || await users.FindByEmailAsync(address) is not { IsActive: true } user)
        {
            return;
        }

        var token = await NewLinkAsync(user, InvitationPurpose.PasswordReset, null, ct);
        db.AuditEvents.Add(UserAudit.Event(clock.GetUtcNow(), null, user, AuditActions.PasswordResetRequested, null, null));
        await db.SaveChangesAsync(ct);
        await email.SendAsync(new EmailMessage(user.Email!, "Reset your FGC Returns password",
            $"""
            Someone asked to reset the password for your FGC Returns account.

            Use this link to choose a new password. It works once and expires in {PasswordResetLifetime.TotalHours.ToString(CultureInfo.InvariantCulture)} hours:
            {LinkUrl(token)}

            If you did not ask for this, you can ignore this email: your password has not changed.

            FGC Returns
            """), ct);
    }

    /// <summary>Whether a set-password link can still be used, with the reason in plain words when not.</summary>
    public async Task<PasswordLinkCheck> CheckLinkAsync(string? token, CancellationToken ct = default)
    {
        var (link, user, problem) = await FindLinkAsync(token, ct);
        return problem is not null
            ? new PasswordLinkCheck(false, problem, null, link?.Purpose ?? InvitationPurpose.Invitation)
            : new PasswordLinkCheck(true, null, user!.Email, link!.Purpose);
    }

    /// <summary>Sets the password through a one-time link; the link is used up only when the password is accepted.</summary>
    public async Task<Outcome<string>> SetPasswordAsync(string? token, string? password, string? confirmation, CancellationToken ct = default)
    {
        var (link, user, problem) = await FindLinkAsync(token, ct);
        if (problem is not null)
        {
            return AdminOutcome.Refused(new Problem("token", problem));
        }

        var errors = new List<Problem>();
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(new Problem("password", "Enter a password"));
        }
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, user!, password);
                errors.AddRange(result.Errors.Select(e => new Problem("password",
                    e.Code == nameof(IdentityErrorDescriber.PasswordTooShort) ? PasswordRules.TooShortMessage : e.Description)));
            }

            if (!string.Equals(password, confirmation, StringComparison.Ordinal))
            {
                errors.Add(new Problem("confirm-password", "The passwords do not match"));
            }
        }

        if (errors.Count > 0)
        {
            return AdminOutcome.Refused(errors);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Claim the link atomically: of two simultaneous uses, only one gets a row.
        var claimed = await db.Invitations
            .Where(i => i.Id == link!.Id && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), ct);
        if (claimed != 1)
        {
            return AdminOutcome.Refused(new Problem("token", UsedMessage));
        }

        user!.PasswordHash = users.PasswordHasher.HashPassword(user, password!);
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;

        // A new stamp signs out any other session, e.g. of someone who knew the old password.
        if (!(await users.UpdateSecurityStampAsync(user)).Succeeded)
        {
            // Someone changed the user at this moment (an administrator's save): the link stays unused; try again.
            return AdminOutcome.Refused(new Problem("token", "Your password was not set because your account changed at the same moment. Try again."));
        }
        db.AuditEvents.Add(UserAudit.Event(clock.GetUtcNow(), null, user, link!.Purpose == InvitationPurpose.Invitation ? AuditActions.PasswordSet : AuditActions.PasswordReset, null, null));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return AdminOutcome.Done(user.Id);
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private const string UsedMessage = "This link has already been used. Sign in with the password you set, or ask for a new link.";

    private async Task<(Invitation? Link, FgcUser? User, string? Problem)> FindLinkAsync(string? token, CancellationToken ct)
    {
        const string invalid = "This link is not valid. Check that you copied the whole link from the email, or ask for a new one.";
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return (null, null, invalid);
        }

        var hash = HashToken(token.Trim());
        var link = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (link is null)
        {
            return (null, null, invalid);
        }

        var user = await users.FindByIdAsync(link.UserId);
        string? problem = null;
        if (user is null)
        {
            problem = invalid;
        }
        else if (link.UsedAt is not null)
        {
            problem = UsedMessage;
        }
        else if (link.RevokedAt is not null || !user.IsActive)
        {
            problem = "This link has been cancelled or replaced by a newer one. Use the newest link you were sent, or ask for a new one.";
        }
        else if (link.ExpiresAt <= clock.GetUtcNow())
        {
            problem = link.Purpose == InvitationPurpose.Invitation
                ? "This invitation has expired. Ask your FGC Returns administrator to send you a new one."
                : "This password reset link has expired. Ask for a new one from the sign-in page.";
        }

        return (link, user, problem);
    }

    /// <summary>Stores the hash of a new random token (older pending links for the same purpose are revoked) and returns the token.</summary>
    internal async Task<string> NewLinkAsync(FgcUser user, InvitationPurpose purpose, string? createdBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await RevokePendingAsync(user.Id, purpose, ct);
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        db.Invitations.Add(new Invitation
        {
            UserId = user.Id,
            Purpose = purpose,
            TokenHash = HashToken(token),
            CreatedAt = now,
            CreatedBy = createdBy,
            ExpiresAt = now + (purpose == InvitationPurpose.Invitation ? InvitationLifetime : PasswordResetLifetime),
        });
        return token;
    }

    /// <summary>
    /// Cancels the person's pending set-password links (not used, not cancelled, not expired), of one purpose or of every
    /// purpose, so that only the newest link works and none outlives a deactivation or a provider sign-in. Returns how
    /// many were cancelled. Expired links are left as they are: they already cannot be used, and keep saying they expired.
    /// </summary>
    public Task<int> RevokePendingAsync(string userId, InvitationPurpose? purpose, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Invitations
            .Where(i => i.UserId == userId && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now && (purpose == null || i.Purpose == purpose))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), ct);
    }

    internal Task SendInvitationAsync(FgcUser user, string token, CancellationToken ct) =>
        email.SendAsync(new EmailMessage(user.Email!, "You have been invited to FGC Returns",
            $"""
            Dear {user.DisplayName},

            You have been given access to FGC Returns, the service for sending and reviewing the annual Family Group Conference return.

            Use this link to set your password. It works once and expires in {InvitationLifetime.TotalDays.ToString(CultureInfo.InvariantCulture)} days:
            {LinkUrl(token)}

            Then sign in with this email address ({user.Email}).

            FGC Returns
            """), ct);

    private string LinkUrl(string token) => $"{emailOptions.LinkBase}/account/set-password?token={Uri.EscapeDataString(token)}";
}
