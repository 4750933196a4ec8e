using System.Security.Claims;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Returns;

/// <summary>
/// The analyst's side of a return: review, accept, send back for amendment, reopen an accepted return, and notes on items.
/// Every action checks the role on the server and the return's state, and is written to the audit log (source "analyst").
/// </summary>
public sealed class ReturnReviewService(
    FgcDbContext db,
    ReturnService returns,
    SurveyDefinitionCatalog catalog,
    IEnumerable<IReturnEvents> events,
    TimeProvider clock,
    ILogger<ReturnReviewService> logger)
{
    public const int MaxCommentLength = 2000;
    public const string AuditSource = "analyst";

    private static readonly Outcome ReturnNotFound = Outcome.NotFound("Return not found.");
    private static readonly Outcome NotAnAnalyst = Outcome.Forbidden("Only analysts and administrators can review returns.");

    /// <summary>The fields a problem can be about: the ids of the review page's form fields. Other problems are about the decision.</summary>
    public static class Fields
    {
        public const string Decision = "decision";
        public const string Comment = "comment";
        public const string NoteItem = "note-item";
        public const string NoteText = "note-text";
    }

    /// <summary>The return with its submissions and notes, or null when it does not exist or the user is not an analyst.</summary>
    public async Task<ReviewContext?> GetAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        if (!user.IsNational() || await returns.GetAsync(user, returnId, ct) is not { } context)
        {
            return null;
        }

        var submissions = await db.ReturnSubmissions.AsNoTracking().Where(s => s.ReturnId == returnId)
            .OrderByDescending(s => s.VersionNumber).ToListAsync(ct);
        var notes = await NotesQuery(returnId).ToListAsync(ct);
        var latestAuditId = await db.AuditEvents.AsNoTracking().Where(a => a.ReturnId == returnId).MaxAsync(a => (long?)a.Id, ct) ?? 0;
        return new ReviewContext(context, submissions, notes, latestAuditId);
    }

    /// <summary>Analysts' notes on the return's items, newest first; for the LA's own data leads and national users.</summary>
    public async Task<IReadOnlyList<ReturnItemNote>> NotesAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var laCode = await db.Returns.AsNoTracking().Where(r => r.Id == returnId).Select(r => r.LaCode).SingleOrDefaultAsync(ct);
        return laCode is null || !user.CanAccessLa(laCode) ? [] : await NotesQuery(returnId).ToListAsync(ct);
    }

    /// <summary>Accepts a submitted return, recording who and when, then tells every <see cref="IReturnEvents"/>.</summary>
    /// <param name="expectedVersion">The submitted version the analyst reviewed; refused if the LA has submitted another since.</param>
    /// <param name="seen">The return as the analyst's page showed it; refused, saying what changed, if anyone changed it since.</param>
    public async Task<Outcome> AcceptAsync(ClaimsPrincipal user, int returnId, int? expectedVersion = null, SeenReturn? seen = null, CancellationToken ct = default)
    {
        var (ret, refusal) = await LoadForChangeAsync(user, returnId, seen, ct);
        if (ret is null)
        {
            return refusal!;
        }

        if (ret.Status != ReturnStatus.Submitted)
        {
            return Outcome.Refused(Fields.Decision, $"Only a submitted return can be accepted. {StateSentence(ret.Status)}");
        }

        if (expectedVersion is { } v && v != ret.SubmittedVersion)
        {
            return Outcome.Refused(Fields.Decision, NewerVersion(ret));
        }

        var now = clock.GetUtcNow();
        ret.Status = ReturnStatus.Accepted;
        ret.AcceptedAt = now;
        ret.AcceptedBy = user.Email();
        ret.AnalystComment = null;
        ret.ReopenedByAnalyst = false;
        db.AuditEvents.Add(Audit(user, ret, AuditActions.Accepted, now, null, ReturnStatus.Submitted.ToString(), Reference(ret)));
        if (await SaveAsync(ret, seen, ct) is { } conflict)
        {
            return conflict;
        }

        await NotifyAsync(ret, (e, r) => e.ReturnAcceptedAsync(r, ct));
        return Outcome.Done();
    }

    /// <summary>Sends a submitted return back to the LA with a comment they must act on; they may then edit it, even after the deadline.</summary>
    public async Task<Outcome> SendBackAsync(ClaimsPrincipal user, int returnId, string? comment, int? expectedVersion = null, SeenReturn? seen = null, CancellationToken ct = default)
    {
        if (CommentProblem(comment, "Enter a comment telling the local authority what to change") is { } problem)
        {
            return user.IsNational() ? Outcome.Refused(Fields.Comment, problem) : NotAnAnalyst;
        }

        var (ret, refusal) = await LoadForChangeAsync(user, returnId, seen, ct);
        if (ret is null)
        {
            return refusal!;
        }

        if (ret.Status != ReturnStatus.Submitted)
        {
            return Outcome.Refused(Fields.Decision, $"Only a submitted return can be returned for amendment. {StateSentence(ret.Status)}");
        }

        if (expectedVersion is { } v && v != ret.SubmittedVersion)
        {
            return Outcome.Refused(Fields.Decision, NewerVersion(ret));
        }

        var text = comment!.Trim();
        var now = clock.GetUtcNow();
        ret.Status = ReturnStatus.ReturnedForAmendment;
        ret.AnalystComment = text;

        // The LA must be able to make the changes asked for, also after the deadline; resubmitting clears this.
        ret.ReopenedByAnalyst = true;
        db.AuditEvents.Add(Audit(user, ret, AuditActions.ReturnedForAmendment, now, null, ReturnStatus.Submitted.ToString(), text));
        if (await SaveAsync(ret, seen, ct) is { } conflict)
        {
            return conflict;
        }

        await NotifyAsync(ret, (e, r) => e.ReturnSentBackAsync(r, text, ct));
        return Outcome.Done();
    }

    /// <summary>Reopens an accepted return with a reason: it goes back to the LA, who may edit it even after the deadline.</summary>
    public async Task<Outcome> ReopenAsync(ClaimsPrincipal user, int returnId, string? reason, SeenReturn? seen = null, CancellationToken ct = default)
    {
        if (CommentProblem(reason, "Enter the reason for reopening the return") is { } problem)
        {
            return user.IsNational() ? Outcome.Refused(Fields.Comment, problem) : NotAnAnalyst;
        }

        var (ret, refusal) = await LoadForChangeAsync(user, returnId, seen, ct);
        if (ret is null)
        {
            return refusal!;
        }

        if (ret.Status != ReturnStatus.Accepted)
        {
            return Outcome.Refused(Fields.Decision, $"Only an accepted return can be reopened. {StateSentence(ret.Status)}");
        }

        var text = reason!.Trim();
        var now = clock.GetUtcNow();
        ret.Status = ReturnStatus.ReturnedForAmendment;
        ret.AnalystComment = text;
        ret.ReopenedByAnalyst = true;
        ret.AcceptedAt = null;
        ret.AcceptedBy = null;
        db.AuditEvents.Add(Audit(user, ret, AuditActions.ReopenedByAnalyst, now, null, ReturnStatus.Accepted.ToString(), text));
        if (await SaveAsync(ret, seen, ct) is { } conflict)
        {
            return conflict;
        }

        // No longer accepted: subscribers (benchmarks) must drop it, and the LA is told why.
        await NotifyAsync(ret, (e, r) => e.ReturnSentBackAsync(r, text, ct));
        return Outcome.Done();
    }

    /// <summary>
    /// Adds an analyst's note on one question or grid cell; the LA sees it on its task list and section page. Notes are
    /// only ever added, so none can overwrite another; but a note written against an answer or notes that changed after
    /// the page was opened (<paramref name="seen"/>) is refused, saying what changed, so the analyst can check it first.
    /// </summary>
    public async Task<Outcome> AddNoteAsync(ClaimsPrincipal user, int returnId, string? itemKey, string? text, SeenReturn? seen = null, CancellationToken ct = default)
    {
        if (!user.IsNational())
        {
            return NotAnAnalyst;
        }

        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null)
        {
            return ReturnNotFound;
        }

        var definition = returns.Definition(ret.Collection!);
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(itemKey) || !IsItemKey(definition, itemKey))
        {
            problems.Add(new(Fields.NoteItem, "Select the question the note is about"));
        }

        if (CommentProblem(text, "Enter the note") is { } problem)
        {
            problems.Add(new(Fields.NoteText, problem));
        }

        if (problems.Count > 0)
        {
            return Outcome.Refused(problems);
        }

        if (seen is not null && await ItemChangedSinceAsync(ret, definition, itemKey!, seen.LatestAuditId, ct) is { } changedItem)
        {
            return Outcome.Conflict(new Problem(Fields.NoteText, changedItem));
        }

        var now = clock.GetUtcNow();
        var note = new ReturnItemNote
        {
            ReturnId = ret.Id,
            ItemKey = itemKey!,
            Text = text!.Trim(),
            AuthorUserId = user.UserId(),
            AuthorEmail = user.Email() ?? "",
            CreatedAt = now,
        };
        db.ReturnItemNotes.Add(note);
        db.AuditEvents.Add(Audit(user, ret, AuditActions.NoteAdded, now, itemKey, null, note.Text));
        await db.SaveChangesAsync(ct);
        return Outcome.Done();
    }

    /// <summary>Items that differ between two submitted versions (old → new), in questionnaire order; null when either is missing.</summary>
    public async Task<VersionComparison?> CompareAsync(ClaimsPrincipal user, int returnId, int fromVersion, int toVersion, CancellationToken ct = default)
    {
        if (!user.IsNational() || await returns.GetAsync(user, returnId, ct) is not { } context)
        {
            return null;
        }

        var versions = await db.ReturnSubmissions.AsNoTracking()
            .Where(s => s.ReturnId == returnId && (s.VersionNumber == fromVersion || s.VersionNumber == toVersion)).ToListAsync(ct);
        var from = versions.FirstOrDefault(s => s.VersionNumber == fromVersion);
        var to = versions.FirstOrDefault(s => s.VersionNumber == toVersion);
        if (from is null || to is null)
        {
            return null;
        }

        var definition = catalog.Get(context.Collection.SurveyId, to.DefinitionVersion) ?? context.Definition;
        return new VersionComparison(context, from, to, Compare(definition, from.Values, to.Values), CompareExplanations(from.Explanations, to.Explanations));
    }

    /// <summary>The return's audit log, newest first, for analysts.</summary>
    public async Task<ReviewHistory?> HistoryAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        if (!user.IsNational() || await returns.GetAsync(user, returnId, ct) is not { } context)
        {
            return null;
        }

        return new ReviewHistory(context, await returns.HistoryAsync(user, returnId, ct));
    }

    /// <summary>Every value key whose displayed answer differs, in questionnaire order, with keys outside the definition last.</summary>
    public static IReadOnlyList<VersionChange> Compare(SurveyDefinition definition, IReadOnlyDictionary<string, string?> from, IReadOnlyDictionary<string, string?> to)
    {
        var changes = new List<VersionChange>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in definition.Sections)
        {
            foreach (var question in section.Questions)
            {
                foreach (var key in question.ValueKeys)
                {
                    known.Add(key);
                    var before = StoredAnswer.From(from, key);
                    var after = StoredAnswer.From(to, key);
                    if (before != after)
                    {
                        changes.Add(new VersionChange(key, AnswerParser.LabelFor(question, key), section.Title, ValidationEngine.FormatValue(question, key, from), ValidationEngine.FormatValue(question, key, to)));
                    }
                }
            }
        }

        foreach (var key in from.Keys.Concat(to.Keys).Where(k => !known.Contains(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var before = StoredAnswer.From(from, key);
            var after = StoredAnswer.From(to, key);
            if (before != after)
            {
                changes.Add(new VersionChange(key, key, null, before.Display, after.Display));
            }
        }

        return changes;
    }

    /// <summary>The change from last year for a numeric answer; null for answers that are not numbers.</summary>
    public static YearOnYear? YearOnYear(Question question, string key, IReadOnlyDictionary<string, string?> current, IReadOnlyDictionary<string, string?>? previous)
    {
        if (!(question.IsNumeric || question.Type == QuestionType.CountGrid))
        {
            return null;
        }

        return new YearOnYear(Number(current, key), previous is null ? null : Number(previous, key));

        static decimal? Number(IReadOnlyDictionary<string, string?> values, string key) =>
            StoredAnswer.From(values, key) is { Text: { } text } && AnswerParser.TryParseDecimal(text, out var n) ? n : null;
    }

    /// <summary>"This return is in progress." and the like, for refusal messages.</summary>
    public static string StateSentence(ReturnStatus status) => status switch
    {
        ReturnStatus.NotStarted => "This return has not been started.",
        ReturnStatus.InProgress => "This return is in progress.",
        ReturnStatus.Submitted => "This return is submitted and waiting for review.",
        ReturnStatus.ReturnedForAmendment => "This return has been returned to the local authority for amendment.",
        ReturnStatus.Accepted => "This return has already been accepted.",
        _ => $"This return is {status}.",
    };

    private static IReadOnlyList<VersionChange> CompareExplanations(IReadOnlyDictionary<string, string> from, IReadOnlyDictionary<string, string> to) =>
        from.Keys.Union(to.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(rule => (rule, before: from.GetValueOrDefault(rule), after: to.GetValueOrDefault(rule)))
            .Where(x => !string.Equals(x.before, x.after, StringComparison.Ordinal))
            .Select(x => new VersionChange(x.rule, $"Explanation of query {x.rule}", null, x.before ?? "(none)", x.after ?? "(none)"))
            .ToList();

    private static bool IsItemKey(SurveyDefinition definition, string key) =>
        definition.Questions.Any(q => string.Equals(q.Key, key, StringComparison.Ordinal) || q.ValueKeys.Contains(key, StringComparer.Ordinal));

    private static string? CommentProblem(string? text, string whenEmpty) =>
        string.IsNullOrWhiteSpace(text) ? whenEmpty
        : text.Trim().Length > MaxCommentLength ? "The text must be 2,000 characters or fewer"
        : null;

    private static string NewerVersion(LaReturn ret) =>
        $"The local authority has submitted version {ret.SubmittedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)} since you opened this page. Review that version first.";

    private static string Reference(LaReturn ret) =>
        ret.Submissions.OrderByDescending(s => s.VersionNumber).FirstOrDefault()?.Reference
        ?? $"version {ret.SubmittedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private IQueryable<ReturnItemNote> NotesQuery(int returnId) =>
        db.ReturnItemNotes.AsNoTracking().Where(n => n.ReturnId == returnId).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id);

    private async Task<(LaReturn? Return, Outcome? Refusal)> LoadForChangeAsync(ClaimsPrincipal user, int returnId, SeenReturn? seen, CancellationToken ct)
    {
        if (!user.IsNational())
        {
            return (null, NotAnAnalyst);
        }

        var ret = await db.Returns.Include(r => r.Collection).Include(r => r.LocalAuthority)
            .Include(r => r.Submissions.OrderByDescending(s => s.VersionNumber).Take(1))
            .SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null)
        {
            return (null, ReturnNotFound);
        }

        // The decision was made on the page as it was: if anyone changed the return since, it is not taken.
        if (seen is not null && ret.RowVersion != seen.RowVersion)
        {
            return (null, Outcome.Conflict(new Problem(Fields.Decision, await ChangedSinceAsync(ret.Id, seen, ct))));
        }

        return (ret, null);
    }

    /// <summary>Saves with the row version the page showed (xmin), or explains who changed the return meanwhile.</summary>
    private async Task<Outcome?> SaveAsync(LaReturn ret, SeenReturn? seen, CancellationToken ct)
    {
        if (seen is not null)
        {
            db.Entry(ret).Property(r => r.RowVersion).OriginalValue = seen.RowVersion;
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Conflict(new Problem(Fields.Decision, await ChangedSinceAsync(ret.Id, seen ?? new SeenReturn(ret.RowVersion, 0), ct)));
        }
    }

    /// <summary>"Not saved: x accepted the return at …, after you opened this page." from the audit rows since the page was shown.</summary>
    private async Task<string> ChangedSinceAsync(int returnId, SeenReturn seen, CancellationToken ct)
    {
        var changes = await db.AuditEvents.AsNoTracking()
            .Where(a => a.ReturnId == returnId && a.Id > seen.LatestAuditId && a.Action != AuditActions.NoteAdded)
            .OrderByDescending(a => a.Id).Take(20).ToListAsync(ct);
        var described = changes.Select(a => (a.UserEmail ?? "someone else", Action: ChangeText(a), a.OccurredAt))
            .DistinctBy(c => (c.Item1, c.Action)).Take(3).Reverse()
            .Select(c => $"{c.Item1} {c.Action} ({UkTime.DateAndTime(c.OccurredAt)})").ToList();
        var what = described.Count == 0 ? "someone else changed this return" : string.Join("; ", described);
        return $"Not saved: {what}, after you opened this page. The page now shows the return as it is. Check it, then make your decision again: what you typed is kept below.";
    }

    private static string ChangeText(AuditEvent a) => a.Action switch
    {
        AuditActions.Accepted => "accepted the return",
        AuditActions.ReturnedForAmendment => $"returned it for amendment saying “{Quote(a.NewValue)}”",
        AuditActions.ReopenedByAnalyst => $"reopened the accepted return saying “{Quote(a.NewValue)}”",
        AuditActions.Submitted => "submitted a new version",
        AuditActions.Reopened => "took the return back to change it",
        AuditActions.ValueChanged => "changed answers",
        AuditActions.ExplanationChanged => "changed explanations",
        _ => "changed the return",
    };

    private static string Quote(string? text) => text is null ? "" : text.Length <= 80 ? text : text[..80] + "…";

    /// <summary>Why a note on this item should be checked first: its answer or its notes changed after the page was shown.</summary>
    private async Task<string?> ItemChangedSinceAsync(LaReturn ret, SurveyDefinition definition, string itemKey, long latestAuditId, CancellationToken ct)
    {
        var question = definition.Questions.FirstOrDefault(q => q.Key == itemKey || q.ValueKeys.Contains(itemKey, StringComparer.Ordinal));
        var keys = question is null ? [itemKey] : question.ValueKeys.Append(question.Key).Distinct(StringComparer.Ordinal).ToList();
        var change = await db.AuditEvents.AsNoTracking()
            .Where(a => a.ReturnId == ret.Id && a.Id > latestAuditId && a.ItemKey != null && keys.Contains(a.ItemKey)
                && (a.Action == AuditActions.NoteAdded || a.Action == AuditActions.ValueChanged))
            .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (change is null)
        {
            return null;
        }

        var who = change.UserEmail ?? "someone else";
        var what = change.Action == AuditActions.NoteAdded
            ? $"{who} added a note on this question after you opened this page: “{Quote(change.NewValue)}”"
            : $"{who} changed the answer to this question after you opened this page, from {change.OldValue ?? "blank"} to {change.NewValue ?? "blank"}";
        return $"Your note was not added: {what} ({UkTime.DateAndTime(change.OccurredAt)}). Check it, then add your note again if it is still needed.";
    }

    /// <summary>Tells each subscriber after the change is saved; one failing subscriber does not stop the others or undo the change.</summary>
    private async Task NotifyAsync(LaReturn ret, Func<IReturnEvents, LaReturn, Task> notify)
    {
        foreach (var subscriber in events)
        {
            // The state change is committed: a subscriber's failure is logged, not shown as a failed action.
            try
            {
                await notify(subscriber, ret);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Subscriber} failed for return {ReturnId} ({Status})", subscriber.GetType().Name, ret.Id, ret.Status);
            }
        }
    }

    private static AuditEvent Audit(ClaimsPrincipal user, LaReturn ret, string action, DateTimeOffset at, string? key, string? oldValue, string? newValue) =>
        ReturnAudit.Event(user, ret, action, at, AuditSource, key, oldValue, newValue);
}
