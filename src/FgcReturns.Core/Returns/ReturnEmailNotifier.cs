using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Returns;

/// <summary>Emails the LA's active data leads when the national team accepts their return or sends it back.</summary>
public sealed class ReturnEmailNotifier(FgcDbContext db, IEmailSender email, EmailOptions options) : IReturnEvents
{
    public async Task ReturnAcceptedAsync(LaReturn ret, CancellationToken ct)
    {
        var (laName, title) = await NamesAsync(ret, ct);
        await SendAsync(ret, $"{title}: your return has been accepted",
            $"""
            The national team has accepted {laName}'s {title} return.

            You do not need to do anything else. You can see the return at:
            {Link(ret)}

            FGC Returns
            """, ct);
    }

    public async Task ReturnSentBackAsync(LaReturn ret, string comment, CancellationToken ct)
    {
        var (laName, title) = await NamesAsync(ret, ct);
        await SendAsync(ret, $"{title}: your return needs changes",
            $"""
            The national team has sent {laName}'s {title} return back to you for changes.

            They said:
            {comment}

            Make the changes, then check your answers and submit the return again:
            {Link(ret)}

            FGC Returns
            """, ct);
    }

    /// <summary>The active data leads of the return's LA.</summary>
    public async Task<IReadOnlyList<string>> RecipientsAsync(string laCode, CancellationToken ct)
    {
        var roleId = db.Roles.Where(r => r.Name == Roles.LaDataLead).Select(r => r.Id);
        return await db.Users
            .Where(u => u.LaCode == laCode && u.IsActive && u.Email != null
                && db.UserRoles.Any(ur => ur.UserId == u.Id && roleId.Contains(ur.RoleId)))
            .OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(ct);
    }

    private async Task SendAsync(LaReturn ret, string subject, string body, CancellationToken ct)
    {
        foreach (var to in await RecipientsAsync(ret.LaCode, ct))
        {
            await email.SendAsync(new EmailMessage(to, subject, body), ct);
        }
    }

    private async Task<(string LaName, string Title)> NamesAsync(LaReturn ret, CancellationToken ct)
    {
        var laName = ret.LocalAuthority?.Name
            ?? await db.LocalAuthorities.Where(l => l.Code == ret.LaCode).Select(l => l.Name).SingleOrDefaultAsync(ct)
            ?? ret.LaCode;
        var title = ret.Collection?.Title
            ?? await db.Collections.Where(c => c.Id == ret.CollectionId).Select(c => c.Title).SingleOrDefaultAsync(ct)
            ?? "FGC";
        return (laName, title);
    }

    private string Link(LaReturn ret) => $"{options.PortalBaseUrl.TrimEnd('/')}/returns/{ret.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
