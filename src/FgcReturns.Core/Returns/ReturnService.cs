using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Returns;

/// <summary>Everything that reads or changes an LA's return. The LA scope is enforced here, from the signed-in user.</summary>
public sealed class ReturnService(FgcDbContext db, SurveyDefinitionCatalog catalog, TimeProvider clock)
{
    /// <summary>The return with what pages need, or null when it does not exist or this user may not see it.</summary>
    public async Task<ReturnContext?> GetAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.AsNoTracking().Include(r => r.Collection).Include(r => r.LocalAuthority)
            .SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !user.CanAccessLa(ret.LaCode))
        {
            return null;
        }

        return await BuildContextAsync(ret, ct);
    }

    public async Task<ReturnContext> BuildContextAsync(LaReturn ret, CancellationToken ct = default)
    {
        var collection = ret.Collection ?? await db.Collections.AsNoTracking().SingleAsync(c => c.Id == ret.CollectionId, ct);
        var definition = Definition(collection);
        var previous = await PreviousAcceptedAsync(ret.LaCode, collection, definition, ct);
        var validation = ValidationEngine.Validate(definition, ret.Values, previous?.Values);
        return new ReturnContext(ret, collection, definition, previous, validation, EditRefusal(ret, collection));
    }

    /// <summary>Saves a set of changes in one transaction with their audit rows; refuses to overwrite a value someone else changed.</summary>
    public async Task<SaveOutcome> SaveAsync(ClaimsPrincipal user, int returnId, IReadOnlyList<ValueChange> changes, ChangeSource source, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
            if (ret is null || !CanEdit(user, ret))
            {
                return SaveOutcome.NotFound;
            }

            if (EditRefusal(ret, ret.Collection!) is { } refusal)
            {
                return SaveOutcome.Refused(refusal);
            }

            var definition = Definition(ret.Collection!);
            var known = definition.Questions.SelectMany(q => q.ValueKeys).ToHashSet(StringComparer.Ordinal);
            if (changes.FirstOrDefault(c => !known.Contains(c.Key)) is { } unknown)
            {
                return SaveOutcome.Refused($"'{unknown.Key}' is not a question in this return.");
            }

            var conflicts = new List<ConflictDetail>();
            foreach (var change in changes)
            {
                var current = StoredAnswer.From(ret.Values, change.Key);
                if (current != change.Before && current != change.After)
                {
                    var last = await db.AuditEvents.AsNoTracking()
                        .Where(a => a.ReturnId == returnId && a.ItemKey == change.Key)
                        .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
                    conflicts.Add(new ConflictDetail(change.Key, Label(definition, change.Key), current, change.After, last?.UserEmail ?? "someone else", last?.OccurredAt));
                }
            }

            if (conflicts.Count > 0)
            {
                return SaveOutcome.Conflict(conflicts, ret.Values);
            }

            var now = clock.GetUtcNow();
            var values = new Dictionary<string, string?>(ret.Values, StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var after = Canonical(definition, change.Key, change.After);
                var before = StoredAnswer.From(values, change.Key);
                if (before == after)
                {
                    continue;
                }

                after.ApplyTo(values, change.Key);
                db.AuditEvents.Add(Audit(user, ret, "ValueChanged", now, source == ChangeSource.Upload ? "upload" : "form", change.Key, before.Display, after.Display));
            }

            ret.Values = values;
            await RefreshAsync(ret, definition, ct);
            if (ret.Status == ReturnStatus.NotStarted)
            {
                ret.Status = ReturnStatus.InProgress;
            }

            ret.LastModifiedAt = now;
            ret.LastModifiedBy = user.Email();
            try
            {
                await db.SaveChangesAsync(ct);
                return SaveOutcome.Saved(ret.Values, ret.RowVersion);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 2)
            {
                // Someone saved between our read and write: go round again, re-checking every value against theirs.
            }
        }
    }

    public async Task<SaveOutcome> SaveExplanationAsync(ClaimsPrincipal user, int returnId, string ruleId, string? explanation, CancellationToken ct = default)
    {
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !CanEdit(user, ret))
        {
            return SaveOutcome.NotFound;
        }

        if (EditRefusal(ret, ret.Collection!) is { } refusal)
        {
            return SaveOutcome.Refused(refusal);
        }

        var text = explanation?.Trim() ?? "";
        if (text.Length > 2000)
        {
            return SaveOutcome.Refused("Explanation must be 2,000 characters or fewer.");
        }

        ret.Explanations.TryGetValue(ruleId, out var before);
        if (before == text || (before is null && text.Length == 0))
        {
            return SaveOutcome.Saved(ret.Values, ret.RowVersion);
        }

        var explanations = new Dictionary<string, string>(ret.Explanations, StringComparer.Ordinal);
        if (text.Length == 0)
        {
            explanations.Remove(ruleId);
        }
        else
        {
            explanations[ruleId] = text;
        }

        ret.Explanations = explanations;
        var now = clock.GetUtcNow();
        db.AuditEvents.Add(Audit(user, ret, "ExplanationChanged", now, "form", ruleId, before, text));
        ret.LastModifiedAt = now;
        ret.LastModifiedBy = user.Email();
        await db.SaveChangesAsync(ct);
        return SaveOutcome.Saved(ret.Values, ret.RowVersion);
    }

    /// <summary>Re-validates on the server and freezes an immutable, numbered snapshot; refuses a return that is not ready.</summary>
    public async Task<SubmitOutcome> SubmitAsync(ClaimsPrincipal user, int returnId, string declarationName, string declarationRole, CancellationToken ct = default)
    {
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !CanEdit(user, ret))
        {
            return SubmitOutcome.NotFound;
        }

        if (EditRefusal(ret, ret.Collection!) is { } refusal)
        {
            return SubmitOutcome.Refused([refusal]);
        }

        var context = await BuildContextAsync(ret, ct);
        var problems = SubmissionProblems(context).ToList();
        if (string.IsNullOrWhiteSpace(declarationName))
        {
            problems.Add("Enter the name of the person who approved these figures");
        }

        if (string.IsNullOrWhiteSpace(declarationRole))
        {
            problems.Add("Enter the job title of the person who approved these figures");
        }

        if (problems.Count > 0)
        {
            return SubmitOutcome.Refused(problems);
        }

        var now = clock.GetUtcNow();
        var version = ret.SubmittedVersion + 1;
        var submission = new ReturnSubmission
        {
            ReturnId = ret.Id,
            VersionNumber = version,
            Reference = string.Create(CultureInfo.InvariantCulture, $"FGC-{ret.Collection!.Period.Replace("-", "", StringComparison.Ordinal)}-{ret.LaCode}-{version}"),
            Values = new Dictionary<string, string?>(ret.Values, StringComparer.Ordinal),
            Explanations = new Dictionary<string, string>(ret.Explanations, StringComparer.Ordinal),
            ValidationIssuesJson = JsonSerializer.Serialize(context.Validation.Issues),
            DefinitionVersion = context.Definition.Version,
            DefinitionHash = context.Definition.ContentHash,
            SubmittedByUserId = user.UserId() ?? "",
            SubmittedByEmail = user.Email() ?? "",
            DeclarationName = declarationName.Trim(),
            DeclarationRole = declarationRole.Trim(),
            SubmittedAt = now,
        };
        db.ReturnSubmissions.Add(submission);
        ret.SubmittedVersion = version;
        ret.SubmittedAt = now;
        ret.Status = ReturnStatus.Submitted;
        ret.ReopenedByAnalyst = false;
        ret.LastModifiedAt = now;
        ret.LastModifiedBy = user.Email();
        db.AuditEvents.Add(Audit(user, ret, "Submitted", now, "form", null, null, submission.Reference));
        await db.SaveChangesAsync(ct);
        return SubmitOutcome.Submitted(submission);
    }

    /// <summary>Why this return cannot be submitted yet, in the words the data lead sees.</summary>
    public static IEnumerable<string> SubmissionProblems(ReturnContext context)
    {
        var errors = context.Validation.Errors.Count();
        if (errors > 0)
        {
            yield return errors == 1 ? "There is 1 error to fix" : string.Create(CultureInfo.InvariantCulture, $"There are {errors} errors to fix");
        }

        var unanswered = ValidationEngine.Unanswered(context.Definition, context.Return.Values);
        if (unanswered.Count > 0)
        {
            yield return unanswered.Count == 1
                ? $"Answer the question '{unanswered[0].Label}', or choose Not recorded"
                : string.Create(CultureInfo.InvariantCulture, $"Answer the {unanswered.Count} questions not yet answered, or choose Not recorded");
        }

        foreach (var query in context.Validation.Queries.Where(q => !context.Return.Explanations.ContainsKey(q.RuleId)))
        {
            yield return $"Explain query {query.RuleId}: {query.Message}";
        }
    }

    /// <summary>The LA takes a submitted return back to change it while the collection is open.</summary>
    public async Task<string?> ReopenAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !CanEdit(user, ret))
        {
            return "Return not found.";
        }

        if (ret.Status != ReturnStatus.Submitted)
        {
            return ret.Status == ReturnStatus.Accepted
                ? "This return has been accepted. Ask the national team to reopen it."
                : "Only a submitted return can be reopened.";
        }

        if (!IsOpen(ret.Collection!))
        {
            return "The deadline has passed, so the return cannot be changed. Contact the national team if you need to change it.";
        }

        var now = clock.GetUtcNow();
        ret.Status = ReturnStatus.InProgress;
        ret.LastModifiedAt = now;
        ret.LastModifiedBy = user.Email();
        db.AuditEvents.Add(Audit(user, ret, "Reopened", now, "form", null, null, null));
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task<IReadOnlyList<AuditEvent>> HistoryAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !user.CanAccessLa(ret.LaCode))
        {
            return [];
        }

        return await db.AuditEvents.AsNoTracking().Where(a => a.ReturnId == returnId).OrderByDescending(a => a.Id).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<ReturnSubmission>> SubmissionsAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !user.CanAccessLa(ret.LaCode))
        {
            return [];
        }

        return await db.ReturnSubmissions.AsNoTracking().Where(s => s.ReturnId == returnId).OrderByDescending(s => s.VersionNumber).ToListAsync(ct);
    }

    public SurveyDefinition Definition(Collection collection) =>
        catalog.Get(collection.SurveyId, collection.DefinitionVersion)
        ?? throw new InvalidOperationException($"Survey definition {collection.SurveyId} {collection.DefinitionVersion} is missing from survey-definitions.");

    /// <summary>Why the LA cannot change this return now, or null when it can.</summary>
    public string? EditRefusal(LaReturn ret, Collection collection) => ret.Status switch
    {
        ReturnStatus.Submitted => "This return has been submitted. Reopen it to make changes.",
        ReturnStatus.Accepted => "This return has been accepted, so it cannot be changed. Contact the national team if something is wrong.",
        _ when !ret.ReopenedByAnalyst && !IsOpen(collection) => collection.Status == CollectionStatus.Scheduled || Today < collection.OpensOn
            ? "This collection has not opened yet."
            : "The deadline has passed, so this return can no longer be changed. Contact the national team if you need to change it.",
        _ => null,
    };

    public bool IsOpen(Collection collection) =>
        collection.Status == CollectionStatus.Open && Today >= collection.OpensOn && Today <= collection.Deadline;

    private DateOnly Today => UkTime.Today(clock);

    /// <summary>Only the LA's own data leads change its return.</summary>
    private static bool CanEdit(ClaimsPrincipal user, LaReturn ret) =>
        user.IsInRole(Roles.LaDataLead) && string.Equals(user.LaCode(), ret.LaCode, StringComparison.Ordinal);

    private async Task RefreshAsync(LaReturn ret, SurveyDefinition definition, CancellationToken ct)
    {
        var previous = await PreviousAcceptedAsync(ret.LaCode, ret.Collection!, definition, ct);
        var result = ValidationEngine.Validate(definition, ret.Values, previous?.Values);
        ret.ErrorCount = result.Errors.Count();
        ret.QueryCount = result.Queries.Count();
        ret.QueryRuleIds = result.Queries.Select(q => q.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The LA's latest accepted return from an earlier period of the same survey, in this definition's keys.</summary>
    public async Task<PreviousReturn?> PreviousAcceptedAsync(string laCode, Collection collection, SurveyDefinition definition, CancellationToken ct)
    {
        var previous = await db.Returns.AsNoTracking().Include(r => r.Collection)
            .Where(r => r.LaCode == laCode && r.Status == ReturnStatus.Accepted
                && r.Collection!.SurveyId == collection.SurveyId && r.Collection.PeriodStart < collection.PeriodStart)
            .OrderByDescending(r => r.Collection!.PeriodStart)
            .FirstOrDefaultAsync(ct);
        if (previous is null)
        {
            return null;
        }

        var fromDefinition = catalog.Get(previous.Collection!.SurveyId, previous.Collection.DefinitionVersion);
        var values = fromDefinition is null || fromDefinition.Version == definition.Version
            ? previous.Values
            : VersionMapping.Translate(fromDefinition, definition, previous.Values);
        return new PreviousReturn(previous.Collection.Period, values);
    }

    private static StoredAnswer Canonical(SurveyDefinition definition, string key, StoredAnswer answer)
    {
        if (!answer.Answered || answer.Text is null)
        {
            return answer;
        }

        var question = definition.Questions.First(q => q.ValueKeys.Contains(key));
        var canonical = AnswerParser.Canonicalise(question, answer.Text, out var error);

        // Keep exactly what was typed when it is not valid, so nothing typed is lost; the engine reports it.
        return error is null && canonical is not null ? StoredAnswer.Of(canonical) : answer;
    }

    private static string Label(SurveyDefinition definition, string key)
    {
        var question = definition.Questions.First(q => q.ValueKeys.Contains(key));
        return AnswerParser.LabelFor(question, key);
    }

    private static AuditEvent Audit(ClaimsPrincipal user, LaReturn ret, string action, DateTimeOffset at, string source, string? key, string? oldValue, string? newValue) =>
        ReturnAudit.Event(user, ret, action, at, source, key, oldValue, newValue);
}

public sealed record PreviousReturn(string Period, IReadOnlyDictionary<string, string?> Values);

public sealed record ReturnContext(
    LaReturn Return,
    Collection Collection,
    SurveyDefinition Definition,
    PreviousReturn? Previous,
    ValidationResult Validation,
    string? EditRefusal)
{
    public bool CanEdit => EditRefusal is null;
}

public sealed record ConflictDetail(string Key, string Label, StoredAnswer Theirs, StoredAnswer Yours, string ChangedBy, DateTimeOffset? ChangedAt);

public enum SaveStatus { Saved, Conflict, Refused, NotFound }

public sealed record SaveOutcome(SaveStatus Status, string? Message, IReadOnlyDictionary<string, string?> Values, uint RowVersion, IReadOnlyList<ConflictDetail> Conflicts)
{
    public static readonly SaveOutcome NotFound = new(SaveStatus.NotFound, "Return not found.", new Dictionary<string, string?>(), 0, []);

    public static SaveOutcome Saved(IReadOnlyDictionary<string, string?> values, uint rowVersion) => new(SaveStatus.Saved, null, values, rowVersion, []);

    public static SaveOutcome Refused(string message) => new(SaveStatus.Refused, message, new Dictionary<string, string?>(), 0, []);

    public static SaveOutcome Conflict(IReadOnlyList<ConflictDetail> conflicts, IReadOnlyDictionary<string, string?> current) =>
        new(SaveStatus.Conflict, "Someone else changed this return while you were editing it.", current, 0, conflicts);
}

public sealed record SubmitOutcome(bool Succeeded, bool Found, IReadOnlyList<string> Problems, ReturnSubmission? Submission)
{
    public static readonly SubmitOutcome NotFound = new(false, false, ["Return not found."], null);

    public static SubmitOutcome Refused(IReadOnlyList<string> problems) => new(false, true, problems, null);

    public static SubmitOutcome Submitted(ReturnSubmission submission) => new(true, true, [], submission);
}

/// <summary>What other features do when a return changes state (benchmarks, email); a seam at a boundary.</summary>
public interface IReturnEvents
{
    Task ReturnAcceptedAsync(LaReturn ret, CancellationToken ct);

    Task ReturnSentBackAsync(LaReturn ret, string comment, CancellationToken ct);
}
