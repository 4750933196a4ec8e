using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Identity;

/// <summary>Why a person who signed in at an external provider (DfE Sign-in) was not let in.</summary>
public enum ExternalSignInRefusal
{
    /// <summary>No portal user has the provider's (verified) email address.</summary>
    NotInvited,

    /// <summary>The portal user was deactivated by an administrator.</summary>
    Deactivated,

    /// <summary>The provider gave no verified email address, so the person cannot be matched to an invitation.</summary>
    EmailNotVerified,

    /// <summary>The invited user is already linked to a different account at the same provider.</summary>
    LinkedToAnotherAccount,
}

/// <summary>The portal user to sign in, or why not.</summary>
public sealed record ExternalSignInOutcome(FgcUser? User, ExternalSignInRefusal? Refusal)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Links a person signed in at an external OpenID Connect provider to the portal user an administrator invited.
/// The first sign-in is matched by the provider's verified email address and links the provider's subject to the
/// user (an Identity external login); later sign-ins are matched by the subject alone, so a changed email address
/// at the provider changes nothing. Nobody is ever created here: role and LA come from the invitation.
/// </summary>
public sealed class ExternalSignIn(UserManager<FgcUser> users, FgcDbContext db, PasswordLinkService links, TimeProvider clock)
{
    public const string AuditSource = "external-sign-in";

    public async Task<ExternalSignInOutcome> FindUserAsync(string provider, string providerDisplayName, string subject, string? email, bool emailVerified)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);

        if (await users.FindByLoginAsync(provider, subject) is { } linked)
        {
            return linked.IsActive ? new(linked, null) : new(null, ExternalSignInRefusal.Deactivated);
        }

        if (string.IsNullOrWhiteSpace(email) || !emailVerified)
        {
            return new(null, ExternalSignInRefusal.EmailNotVerified);
        }

        if (await users.FindByEmailAsync(email.Trim()) is not { } invited)
        {
            return new(null, ExternalSignInRefusal.NotInvited);
        }

        if (!invited.IsActive)
        {
            return new(null, ExternalSignInRefusal.Deactivated);
        }

        // One provider account per portal user: a second account with the same address is not silently added.
        if ((await users.GetLoginsAsync(invited)).Any(l => l.LoginProvider == provider))
        {
            return new(null, ExternalSignInRefusal.LinkedToAnotherAccount);
        }

        var added = await users.AddLoginAsync(invited, new UserLoginInfo(provider, subject, providerDisplayName));
        if (!added.Succeeded)
        {
            // Another request linked the same subject a moment ago: that link is the one to use.
            return await users.FindByLoginAsync(provider, subject) is { IsActive: true } raced
                ? new(raced, null)
                : new(null, ExternalSignInRefusal.LinkedToAnotherAccount);
        }

        if (!invited.EmailConfirmed)
        {
            invited.EmailConfirmed = true;
            await users.UpdateAsync(invited);
        }

        // The person has proved who they are through the provider: the emailed set-password link is no longer needed,
        // and left working it would let whoever reads that email set a password on this account.
        var pendingLinks = await links.RevokePendingAsync(invited.Id, purpose: null, CancellationToken.None);

        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = clock.GetUtcNow(),
            UserId = invited.Id,
            UserEmail = invited.Email,
            LaCode = invited.LaCode,
            Action = AuditActions.ExternalLoginLinked,
            Source = AuditSource,
            NewValue = pendingLinks == 0 ? providerDisplayName : $"{providerDisplayName}; cancelled {pendingLinks} unused set-password link{(pendingLinks == 1 ? "" : "s")}",
        });
        await db.SaveChangesAsync();
        return new(invited, null);
    }
}
