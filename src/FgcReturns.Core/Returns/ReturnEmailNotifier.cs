using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Returns;

/// <summary>Emails the LA's active data leads when their return is submitted, and when the national team accepts it or sends it back.</summary>
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

    /// <summary>Confirms a submission to every data lead of the LA, with the reference to quote.</summary>
    public async Task ReturnSubmittedAsync(LaReturn ret, ReturnSubmission submission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var (laName, title) = await NamesAsync(ret, ct);
        await SendAsync(ret, $"{title}: your return has been submitted – reference {submission.Reference}",
            $"""
            {laName}'s {title} return was submitted on {LondonDateTime(submission.SubmittedAt)} by {submission.SubmittedByEmail}.

            The figures were approved by {submission.DeclarationName}, {submission.DeclarationRole}.

            Your reference is {submission.Reference}. Quote it if you contact the national team about this return.

            The national team will review the return and email you when they accept it or if they need changes.
            You can see the return at:
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

    /// <summary>GOV.UK style, UK time: "2 December 2026 at 3:29pm".</summary>
    private static string LondonDateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"))
            .ToString("d MMMM yyyy 'at' h:mmtt", System.Globalization.CultureInfo.InvariantCulture)
            .Replace("AM", "am", StringComparison.Ordinal).Replace("PM", "pm", StringComparison.Ordinal);

    private string Link(LaReturn ret) => $"{options.LinkBase}/returns/{ret.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
