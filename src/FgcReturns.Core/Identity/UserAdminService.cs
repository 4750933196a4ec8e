using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Identity;

/// <summary>
/// Users and their access: administrators invite users (no self-registration), change roles and LAs, deactivate and
/// reactivate. The one-time links invitees and forgetful users set their password with are <see cref="PasswordLinkService"/>'s.
/// Role checks are made here on the server, from the signed-in user.
/// </summary>
public sealed class UserAdminService(FgcDbContext db, UserManager<FgcUser> users, PasswordLinkService links, TimeProvider clock)
{
    public const string AuditSource = "admin";

    /// <summary>Every user, for administrators; null for anyone else.</summary>
    public async Task<IReadOnlyList<UserSummary>?> ListAsync(ClaimsPrincipal admin, CancellationToken ct = default) =>
        IsAdministrator(admin) ? await Summaries(db.Users.OrderBy(u => u.Email)).ToListAsync(ct) : null;

    public async Task<UserSummary?> GetAsync(ClaimsPrincipal admin, string userId, CancellationToken ct = default) =>
        IsAdministrator(admin) ? await Summaries(db.Users.Where(u => u.Id == userId)).SingleOrDefaultAsync(ct) : null;

    /// <summary>Everyone with access to the signed-in data lead's LA (name, email, role, active); empty for national users.</summary>
    public async Task<IReadOnlyList<UserSummary>> TeamAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        user.LaCode() is { } laCode
            ? await Summaries(db.Users.Where(u => u.LaCode == laCode).OrderBy(u => u.DisplayName).ThenBy(u => u.Email)).ToListAsync(ct)
            : [];

    /// <summary>Creates the user without a password, with their role (and LA), and emails them a link to set one.</summary>
    public async Task<Outcome<string>> InviteAsync(ClaimsPrincipal admin, string? emailAddress, string? displayName, UserAccess access, CancellationToken ct = default)
    {
        if (!IsAdministrator(admin))
        {
            return AdminOutcome.Forbidden;
        }

        var errors = new List<Problem>();
        var address = emailAddress?.Trim() ?? "";
        if (address.Length == 0)
        {
            errors.Add(new Problem("email", "Enter an email address"));
        }
        else if (address.Length > 256 || !new EmailAddressAttribute().IsValid(address) || !MimeKit.MailboxAddress.TryParse(address, out _))
        {
            errors.Add(new Problem("email", "Enter an email address in the correct format, like name@example.gov.uk"));
        }
        else if (await users.FindByEmailAsync(address) is not null)
        {
            errors.Add(new Problem("email", "A user with this email address already exists"));
        }

        var name = displayName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new Problem("display-name", "Enter the user's full name"));
        }
        else if (name.Length > 200)
        {
            errors.Add(new Problem("display-name", "Full name must be 200 characters or fewer"));
        }

        var (role, laCode, accessErrors) = await CheckAccessAsync(access, ct);
        errors.AddRange(accessErrors);
        if (errors.Count > 0)
        {
            return AdminOutcome.Refused(errors);
        }

        var now = clock.GetUtcNow();
        var user = new FgcUser
        {
            UserName = address,
            Email = address,
            DisplayName = name,
            LaCode = laCode,
            IsActive = true,
            CreatedAt = now,
        };
        string token;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                return AdminOutcome.Refused(created.Errors.Select(e => new Problem("email", e.Description)).ToList());
            }

            await Require(users.AddToRoleAsync(user, role!));
            token = await links.NewLinkAsync(user, InvitationPurpose.Invitation, admin.Email(), ct);
            db.AuditEvents.Add(Audit(admin, user, AuditActions.UserInvited, null, Describe(role, laCode)));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await links.SendInvitationAsync(user, token, ct);
        return AdminOutcome.Done(user.Id);
    }

    /// <summary>A new invitation link for a user who has not set a password yet; the old link stops working.</summary>
    public async Task<Outcome<string>> ResendInvitationAsync(ClaimsPrincipal admin, string userId, CancellationToken ct = default)
    {
        if (!IsAdministrator(admin))
        {
            return AdminOutcome.Forbidden;
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AdminOutcome.NotFound;
        }

        if (user.PasswordHash is not null)
        {
            return AdminOutcome.Refused(new Problem("", "This user has already set a password. They can reset it from the sign-in page."));
        }

        if (!user.IsActive)
        {
            return AdminOutcome.Refused(new Problem("", "This user is deactivated. Reactivate them first."));
        }

        var token = await links.NewLinkAsync(user, InvitationPurpose.Invitation, admin.Email(), ct);
        db.AuditEvents.Add(Audit(admin, user, AuditActions.InvitationResent, null, null));
        await db.SaveChangesAsync(ct);
        await links.SendInvitationAsync(user, token, ct);
        return AdminOutcome.Done(user.Id);
    }

    /// <summary>Changes a user's role and LA; they are signed out so their next sign-in carries the new access.</summary>
    /// <param name="seen">The user as the administrator's page showed them; refused, saying what changed, if another administrator changed them since.</param>
    public async Task<Outcome<string>> ChangeAccessAsync(ClaimsPrincipal admin, string userId, UserAccess access, SeenUser? seen = null, CancellationToken ct = default)
    {
        if (!IsAdministrator(admin))
        {
            return AdminOutcome.Forbidden;
        }

        var (role, laCode, errors) = await CheckAccessAsync(access, ct);
        if (errors.Count > 0)
        {
            return AdminOutcome.Refused(errors);
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                // The user's row is locked before their roles are read, so two administrators changing the same
                // user take turns: the second reads the first one's change and is refused, instead of removing a
                // role the first has already removed.
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (!await LockUserAsync(userId, ct) || await users.FindByIdAsync(userId) is not { } user)
                {
                    return AdminOutcome.NotFound;
                }

                var current = await users.GetRolesAsync(user);
                if (await ChangedSinceSeenAsync(user, current.FirstOrDefault(), seen, "role", ct) is { } conflict)
                {
                    return conflict;
                }

                if (user.Id == admin.UserId() && role != Roles.Administrator)
                {
                    return AdminOutcome.Refused(new Problem("role", "You cannot remove your own administrator role. Ask another administrator."));
                }

                if (current.Count == 1 && current[0] == role && user.LaCode == laCode)
                {
                    return AdminOutcome.Done(user.Id);
                }

                var oldLaCode = user.LaCode;
                if (current.Count > 0)
                {
                    await Require(users.RemoveFromRolesAsync(user, current));
                }

                await Require(users.AddToRoleAsync(user, role!));
                user.LaCode = laCode;
                await Require(users.UpdateSecurityStampAsync(user));
                db.AuditEvents.Add(Audit(admin, user, AuditActions.UserAccessChanged, Describe(current.FirstOrDefault(), oldLaCode), Describe(role, laCode)));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return AdminOutcome.Done(user.Id);
            }
            catch (StaleUserException) when (attempt < MaxAttempts)
            {
                // Another administrator saved this user between our read and our write (Identity's concurrency
                // stamp, checked on save): read again, and refuse if what this administrator saw has changed.
            }
            catch (StaleUserException)
            {
                return StillChanging("role");
            }
        }
    }

    /// <summary>Deactivates (signed out within a minute, cannot sign in, links cancelled) or reactivates a user.</summary>
    /// <param name="seen">The user as the administrator's page showed them; refused, saying what changed, if another administrator changed them since.</param>
    public async Task<Outcome<string>> SetActiveAsync(ClaimsPrincipal admin, string userId, bool active, SeenUser? seen = null, CancellationToken ct = default)
    {
        if (!IsAdministrator(admin))
        {
            return AdminOutcome.Forbidden;
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                // Locked first, as in ChangeAccessAsync, so simultaneous changes to one user take turns.
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                if (!await LockUserAsync(userId, ct) || await users.FindByIdAsync(userId) is not { } user)
                {
                    return AdminOutcome.NotFound;
                }

                if (await ChangedSinceSeenAsync(user, (await users.GetRolesAsync(user)).FirstOrDefault(), seen, "", ct) is { } conflict)
                {
                    return conflict;
                }

                if (!active && user.Id == admin.UserId())
                {
                    return AdminOutcome.Refused(new Problem("", "You cannot deactivate your own account."));
                }

                if (user.IsActive == active)
                {
                    return AdminOutcome.Done(user.Id);
                }

                user.IsActive = active;

                // A new security stamp ends the user's existing sessions at the next check (every minute).
                await Require(users.UpdateSecurityStampAsync(user));
                if (!active)
                {
                    await links.RevokePendingAsync(user.Id, purpose: null, ct);
                }

                db.AuditEvents.Add(Audit(admin, user, active ? AuditActions.UserReactivated : AuditActions.UserDeactivated, null, null));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return AdminOutcome.Done(user.Id);
            }
            catch (StaleUserException) when (attempt < MaxAttempts)
            {
                // As in ChangeAccessAsync: read again and re-check against what the page showed.
            }
            catch (StaleUserException)
            {
                return StillChanging("");
            }
        }
    }

    private const int MaxAttempts = 5;

    /// <summary>Takes the user's row lock for the current transaction; false when there is no such user.</summary>
    private async Task<bool> LockUserAsync(string userId, CancellationToken ct) =>
        (await db.Database.SqlQuery<string>($"SELECT id AS \"Value\" FROM \"AspNetUsers\" WHERE id = {userId} FOR UPDATE").ToListAsync(ct)).Count == 1;

    private static Outcome<string> StillChanging(string field) => AdminOutcome.Refused(new Problem(field,
        "Not saved: other administrators kept changing this user while you saved. Reload the page to see them as they are now, then save again if you still want to."));

    /// <summary>
    /// Refuses a change made on a page that showed this user's role, LA or status as they no longer are, naming who
    /// changed what, so one administrator never silently undoes another's change.
    /// </summary>
    private async Task<Outcome<string>?> ChangedSinceSeenAsync(FgcUser user, string? role, SeenUser? seen, string field, CancellationToken ct)
    {
        if (seen is null)
        {
            return null;
        }

        var changes = new List<string>();
        if (!string.Equals(seen.Role ?? "", role ?? "", StringComparison.Ordinal) || !string.Equals(seen.LaCode ?? "", user.LaCode ?? "", StringComparison.Ordinal))
        {
            changes.Add($"access from {Readable(seen.Role, seen.LaCode)} to {Readable(role, user.LaCode)}");
        }

        if (seen.IsActive != user.IsActive)
        {
            changes.Add(user.IsActive ? "reactivated them" : "deactivated them");
        }

        if (changes.Count == 0)
        {
            return null;
        }

        var detail = JsonSerializer.Serialize(new { userId = user.Id });
        var last = await db.AuditEvents.AsNoTracking()
            .Where(a => a.Source == AuditSource && a.Detail != null && EF.Functions.JsonContains(a.Detail, detail))
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        var who = last?.UserEmail ?? "another administrator";
        var when = last is null ? "" : $" ({UkTime.DateAndTime(last.OccurredAt)})";
        var what = string.Join(" and ", changes.Select(c => c.StartsWith("access", StringComparison.Ordinal) ? "changed their " + c : c));
        return AdminOutcome.Refused(new Problem(field,
            $"Not saved: {who} {what}{when}, after you opened this page. The page now shows the user as they are; your choice is kept. Save again if you still want to change it."));

        static string Readable(string? role, string? laCode) => role switch
        {
            null => "no role",
            Roles.LaDataLead => laCode is null ? "LA data lead" : $"LA data lead ({laCode})",
            _ => role,
        };
    }

    private async Task<(string? Role, string? LaCode, List<Problem> Errors)> CheckAccessAsync(UserAccess access, CancellationToken ct)
    {
        var errors = new List<Problem>();
        var role = Roles.All.FirstOrDefault(r => string.Equals(r, access.Role?.Trim(), StringComparison.Ordinal));
        string? laCode = null;
        if (role is null)
        {
            errors.Add(new Problem("role", "Select the user's role"));
        }
        else if (role == Roles.LaDataLead)
        {
            laCode = access.LaCode?.Trim();
            if (string.IsNullOrEmpty(laCode))
            {
                errors.Add(new Problem("la-code", "Select the local authority for an LA data lead"));
            }
            else if (!await db.LocalAuthorities.AnyAsync(l => l.Code == laCode, ct))
            {
                errors.Add(new Problem("la-code", "Select a local authority from the list"));
            }
        }

        // National roles see every LA and belong to none.
        return (role, errors.Count == 0 ? laCode : null, errors);
    }

    private IQueryable<UserSummary> Summaries(IQueryable<FgcUser> query) =>
        from u in query
        select new UserSummary(
            u.Id,
            u.DisplayName,
            u.Email ?? u.UserName ?? "",
            (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name).FirstOrDefault(),
            u.LaCode,
            db.LocalAuthorities.Where(l => l.Code == u.LaCode).Select(l => l.Name).FirstOrDefault(),
            u.IsActive,
            u.PasswordHash != null,
            db.Invitations.Where(i => i.UserId == u.Id && i.Purpose == InvitationPurpose.Invitation && i.UsedAt == null && i.RevokedAt == null)
                .OrderByDescending(i => i.ExpiresAt).Select(i => (DateTimeOffset?)i.ExpiresAt).FirstOrDefault());

    private static bool IsAdministrator(ClaimsPrincipal user) => user.IsInRole(Roles.Administrator);

    private static string? Describe(string? role, string? laCode) =>
        role is null ? null : laCode is null ? role : $"{role} ({laCode})";

    private static async Task Require(Task<IdentityResult> operation)
    {
        var result = await operation;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw new StaleUserException();
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>Identity's concurrency stamp did not match on save: someone else saved the user meanwhile.</summary>
    private sealed class StaleUserException : Exception;

    private AuditEvent Audit(ClaimsPrincipal? actor, FgcUser target, string action, string? oldValue, string? newValue) =>
        UserAudit.Event(clock.GetUtcNow(), actor, target, action, oldValue, newValue);
}
