using System.Globalization;
using System.Text;
using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Collections;

/// <summary>
/// Reminder emails to the data leads of LAs that have not submitted, on the days in Collections:ReminderDays relative
/// to the deadline. Each (collection, LA, milestone) is sent once: a row in reminders_sent is inserted
/// (ON CONFLICT DO NOTHING) in the same transaction as the sending, and only a run that inserted it sends. If sending
/// fails the transaction rolls back and the next run tries again.
/// </summary>
public sealed class CollectionReminders(
    FgcDbContext db,
    TimeProvider clock,
    IEmailSender email,
    EmailOptions emailOptions,
    CollectionOptions options,
    Telemetry.FgcMetrics metrics,
    ILogger<CollectionReminders> logger)
{
    private static readonly ReturnStatus[] Done = [ReturnStatus.Submitted, ReturnStatus.Accepted];

    /// <summary>
    /// The milestone due now for this collection, if any: the latest whose UK day and hour have come, within the grace
    /// days. Before the deadline only while the collection is open; "overdue" reminders also once it has closed at its
    /// deadline, but never for a collection an administrator closed early (nobody missed a deadline).
    /// </summary>
    public int? DueMilestone(Collection collection, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var today = DateOnly.FromDateTime(UkTime.ToUk(now).DateTime);
        var due = options.EffectiveReminderDays
            .Where(m => UkTime.At(collection.Deadline.AddDays(m), options.ReminderTime) <= now
                && today <= collection.Deadline.AddDays(m + options.ReminderGraceDays))
            .OrderByDescending(m => m)
            .Cast<int?>()
            .FirstOrDefault();

        return due switch
        {
            null => null,
            < 0 when collection.Status != CollectionStatus.Open => null,
            _ when collection.Status == CollectionStatus.Scheduled || today < collection.OpensOn => null,
            > 0 when collection.ClosedEarly => null,
            _ => due,
        };
    }

    /// <summary>Sends every reminder due now; returns the number of emails sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = UkTime.Today(clock);
        var earliest = today.AddDays(-options.EffectiveReminderDays.Max() - options.ReminderGraceDays);
        var collections = await db.Collections.AsNoTracking()
            .Where(c => c.Status != CollectionStatus.Scheduled && c.OpensOn <= today && c.Deadline >= earliest)
            .ToListAsync(ct);
        var sent = 0;
        foreach (var collection in collections)
        {
            if (DueMilestone(collection, now) is { } milestone)
            {
                sent += await SendMilestoneAsync(collection, milestone, ct);
            }
        }

        return sent;
    }

    private async Task<int> SendMilestoneAsync(Collection collection, int milestone, CancellationToken ct)
    {
        var outstanding = await db.Returns.AsNoTracking()
            .Where(r => r.CollectionId == collection.Id && !Done.Contains(r.Status))
            .Where(r => !db.Set<ReminderSent>().Any(s => s.CollectionId == collection.Id && s.LaCode == r.LaCode && s.Milestone == milestone))
            .OrderBy(r => r.LaCode)
            .Select(r => new { r.Id, r.LaCode, LaName = r.LocalAuthority!.Name, r.Status })
            .ToListAsync(ct);
        if (outstanding.Count == 0)
        {
            return 0;
        }

        var codes = outstanding.Select(o => o.LaCode).ToList();
        var leadRole = db.Roles.Where(r => r.Name == Roles.LaDataLead).Select(r => r.Id);
        var leads = (await db.Users.AsNoTracking()
                .Where(u => u.IsActive && u.LaCode != null && codes.Contains(u.LaCode) && u.Email != null)
                .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && leadRole.Contains(ur.RoleId)))
                .Select(u => new { LaCode = u.LaCode!, Email = u.Email!, u.DisplayName })
                .ToListAsync(ct))
            .ToLookup(u => u.LaCode, StringComparer.Ordinal);

        var sent = 0;
        var nobodyToTell = new List<string>();
        foreach (var ret in outstanding)
        {
            var recipients = leads[ret.LaCode].OrderBy(l => l.Email, StringComparer.Ordinal).ToList();
            if (recipients.Count == 0)
            {
                // Nobody to tell yet; a lead added within the grace days still gets this reminder.
                nobodyToTell.Add(ret.LaCode);
                continue;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var inserted = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO reminders_sent (collection_id, la_code, milestone, sent_at, recipient_count)
                VALUES ({collection.Id}, {ret.LaCode}, {milestone}, {now}, {recipients.Count})
                ON CONFLICT (collection_id, la_code, milestone) DO NOTHING
                """,
                ct);
            if (inserted == 0)
            {
                // Another run got there first.
                continue;
            }

            foreach (var lead in recipients)
            {
                await email.SendAsync(Compose(collection, milestone, ret.Id, ret.LaName, ret.Status, lead.Email, lead.DisplayName), ct);
            }

            await transaction.CommitAsync(ct);
            metrics.RemindersSent(recipients.Count, milestone);
            sent += recipients.Count;
        }

        logger.LogInformation(
            "Reminder {Milestone} for collection {CollectionId}: {Count} emails sent; {Unreached} LAs have no active data lead ({LaCodes})",
            milestone, collection.Id, sent, nobodyToTell.Count, string.Join(", ", nobodyToTell));
        return sent;
    }

    /// <summary>The reminder in plain English (GOV.UK Notify style): what is due, when, and the link to the return.</summary>
    public EmailMessage Compose(Collection collection, int milestone, int returnId, string laName, ReturnStatus status, string to, string? displayName)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var deadline = CollectionService.LongDate(collection.Deadline);
        var link = emailOptions.LinkBase + string.Create(CultureInfo.InvariantCulture, $"/returns/{returnId}");
        var days = Math.Abs(milestone);
        var subject = milestone < 0
            ? $"Reminder: {collection.Title} is due on {deadline}"
            : $"Overdue: {collection.Title} was due on {deadline}";
        var body = new StringBuilder();
        body.Append("Dear ").Append(string.IsNullOrWhiteSpace(displayName) ? "colleague" : displayName).AppendLine(",").AppendLine();
        if (milestone < 0)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"{laName} has not yet submitted its {collection.Title}.").AppendLine();
            body.AppendLine(CultureInfo.InvariantCulture, $"The deadline is {deadline}, {(days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days")} from now.").AppendLine();
            body.AppendLine(CultureInfo.InvariantCulture, $"The return's status is: {ReturnStatusText.For(status).ToLowerInvariant()}.").AppendLine();
            body.AppendLine("Complete and submit the return here:").AppendLine(link).AppendLine();
        }
        else
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"The deadline for the {collection.Title} was {deadline}. We have not received {laName}'s return.").AppendLine();
            body.AppendLine(CultureInfo.InvariantCulture, $"The return's status is: {ReturnStatusText.For(status).ToLowerInvariant()}.").AppendLine();
            body.AppendLine("Please contact the national team as soon as possible to agree when you can send it. You can see the return here:").AppendLine(link).AppendLine();
        }

        body.AppendLine("If you have already submitted the return, you do not need to do anything.").AppendLine();
        body.AppendLine("FGC Returns");
        return new EmailMessage(to, subject, body.ToString());
    }
}
