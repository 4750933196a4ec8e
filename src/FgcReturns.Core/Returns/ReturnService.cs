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
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Returns;

/// <summary>Everything that reads or changes an LA's return. The LA scope is enforced here, from the signed-in user.</summary>
public sealed class ReturnService(FgcDbContext db, SurveyDefinitionCatalog catalog, TimeProvider clock, ReturnEmailNotifier notifier, ILogger<ReturnService> logger, PeerReferenceSource peerReference, IMemoryCache cache)
{
    /// <summary>The declaration fields a submission problem can be about (ids of the check-answers page's inputs).</summary>
    public static class Fields
    {
        public const string DeclarationName = "declaration-name";
        public const string DeclarationRole = "declaration-role";
    }

    /// <summary>
    /// The returns of the signed-in data lead's own LA, newest period first, with their collections (the home page's list);
    /// empty for anyone who is not an LA data lead.
    /// </summary>
    public async Task<IReadOnlyList<LaReturn>> ListOwnLaAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        user.LaCode() is { } code
            ? await db.Returns.AsNoTracking().Include(r => r.Collection).Where(r => r.LaCode == code)
                .OrderByDescending(r => r.Collection!.PeriodStart).ToListAsync(ct)
            : [];

    /// <summary>Counts across every LA for the national overview; null for anyone who is not an analyst or administrator.</summary>
    public async Task<NationalOverview?> NationalOverviewAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        user.IsNational()
            ? new NationalOverview(
                await db.LocalAuthorities.CountAsync(ct),
                await db.Returns.CountAsync(r => r.Status == ReturnStatus.Submitted || r.Status == ReturnStatus.Accepted, ct),
                await db.Collections.CountAsync(ct))
            : null;

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
        var peers = await peerReference(definition, collection, ret.LaCode, ct);
        var validation = ValidationEngine.Validate(definition, ret.Values, previous?.Values, peers);
        return new ReturnContext(ret, collection, definition, previous, validation, EditRefusal(ret, collection)) { Peers = peers };
    }

    /// <summary>
    /// Saves a set of changes in one transaction with their audit rows and returns the refreshed state (values,
    /// explanations, row version, validation), so the page shows it without loading again. Refuses to overwrite
    /// an answer someone else changed; answers of the same return changed by others meanwhile are merged, not lost.
    /// A form value that fails its own question's checks is never stored: it comes back in <see cref="SaveOutcome.NotSaved"/>.
    /// </summary>
    public Task<SaveOutcome> SaveAsync(ClaimsPrincipal user, int returnId, IReadOnlyList<ValueChange> changes, ChangeSource source, CancellationToken ct = default) =>
        SaveAsync(user, returnId, null, changes, source, ct);

    /// <summary>
    /// Saves changes to a return that the caller has read (tracked by this scope's context) and locked in its own
    /// transaction, which it commits: the API under If-Match. The same checks, audit and validation as any save,
    /// without reading the return again; no retry, as no one else can save it meanwhile; no replaced answers.
    /// </summary>
    public Task<SaveOutcome> SaveLockedAsync(ClaimsPrincipal user, LaReturn locked, IReadOnlyList<ValueChange> changes, ChangeSource source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(locked);
        return SaveAsync(user, locked.Id, locked, changes, source, ct);
    }

    private async Task<SaveOutcome> SaveAsync(ClaimsPrincipal user, int returnId, LaReturn? locked, IReadOnlyList<ValueChange> changes, ChangeSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        for (var attempt = 1; ; attempt++)
        {
            // Saves of one return queue on its row lock instead of colliding on its row version: a colleague saving
            // another answer at the same moment waits a few milliseconds rather than failing and redoing every read
            // and the validation (under load such retries outnumbered the saves and multiplied the work).
            await using var transaction = locked is null ? await db.Database.BeginTransactionAsync(ct) : null;
            // The lock, whether the account is still active, which accepted return is last year's and whether a
            // colleague ever replaced someone's answers: one round trip for what a save needs besides the return.
            var facts = await LockForSaveAsync(user, locked?.Id ?? returnId, ct);
            var ret = facts is null ? null : locked ?? await ReadLockedAsync(returnId, ct);
            if (facts is null || ret is null || !CanEdit(user, ret))
            {
                return SaveOutcome.NotFound;
            }

            if (SaveRefusal(ret, facts.Active) is { } refused)
            {
                return refused;
            }

            var definition = Definition(ret.Collection!);
            var known = definition.Questions.SelectMany(q => q.ValueKeys).ToHashSet(StringComparer.Ordinal);
            if (changes.FirstOrDefault(c => !known.Contains(c.Key)) is { } unknown)
            {
                return SaveOutcome.Refused($"'{unknown.Key}' is not a question in this return.");
            }

            // One rule everywhere: what the person typed that fails its question's own checks stays in their field, never in the return.
            var notSaved = new Dictionary<string, string>(StringComparer.Ordinal);
            if (source == ChangeSource.Form)
            {
                foreach (var change in changes)
                {
                    if (FieldError(definition, change.Key, change.After) is { } error)
                    {
                        notSaved[change.Key] = error;
                    }
                }
            }

            var toSave = changes.Where(c => !notSaved.ContainsKey(c.Key)).ToList();
            var conflicts = new List<ConflictDetail>();
            foreach (var change in toSave)
            {
                var current = StoredAnswer.From(ret.Values, change.Key);
                if (current != change.Before && current != change.After)
                {
                    var last = await db.AuditEvents.AsNoTracking()
                        .Where(a => a.ReturnId == returnId && a.ItemKey == change.Key)
                        .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
                    conflicts.Add(new ConflictDetail(change.Key, Label(definition, change.Key), current, change.After, last?.UserEmail ?? "someone else", last?.OccurredAt, last?.UserId));
                }
            }

            if (conflicts.Count > 0)
            {
                return SaveOutcome.Conflict(conflicts, await StateAsync(ret, definition, user, ct), notSaved);
            }

            var now = clock.GetUtcNow();
            var values = new Dictionary<string, string?>(ret.Values, StringComparer.Ordinal);
            var changed = false;
            foreach (var change in toSave)
            {
                var after = Canonical(definition, change.Key, change.After);
                var before = StoredAnswer.From(values, change.Key);
                if (before == after)
                {
                    continue;
                }

                after.ApplyTo(values, change.Key);
                var audit = Audit(user, ret, AuditActions.ValueChanged, now, source == ChangeSource.Upload ? "upload" : "form", change.Key, before.Display, after.Display);
                if (change.KnowinglyReplaces is { } replaced)
                {
                    audit = audit.Replacing(replaced);
                }

                db.AuditEvents.Add(audit);
                changed = true;
            }

            if (!changed)
            {
                return SaveOutcome.Saved(await StateAsync(ret, definition, user, ct), notSaved);
            }

            ret.Values = values;
            var validation = await RefreshAsync(ret, definition, await PreviousAcceptedAsync(facts, definition, ct), ct);
            if (ret.Status == ReturnStatus.NotStarted)
            {
                ret.Status = ReturnStatus.InProgress;
            }

            ret.LastModifiedAt = now;
            ret.LastModifiedBy = user.Email();
            try
            {
                // In this save's own transaction a failed write rolls everything back and the save starts again, so
                // EF's savepoint around the write (two more commands each save) protects nothing.
                db.Database.AutoSavepointsEnabled = transaction is null;
                await db.SaveChangesAsync(ct);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(ct);
                }

                return SaveOutcome.Saved(new ReturnState(ret.Values, ret.Explanations, ret.RowVersion, validation, locked is null && facts.AnyReplacedByOthers ? await ReplacedAnswersAsync(ret, definition, user, ct) : []), notSaved);
            }
            catch (DbUpdateConcurrencyException) when (locked is null && attempt < MaxSaveAttempts)
            {
                // Someone saved another answer between our read and write: go round again, merging onto theirs
                // and re-checking every value we change against what they saved. Jitter so the two do not collide again.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return SaveOutcome.Busy;
            }
            finally
            {
                db.Database.AutoSavepointsEnabled = true;
            }
        }
    }

    /// <summary>The return as a page shows it after a save: values, explanations, row version, validation, replaced answers.</summary>
    public async Task<ReturnState?> StateAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.AsNoTracking().Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !user.CanAccessLa(ret.LaCode))
        {
            return null;
        }

        return await StateAsync(ret, Definition(ret.Collection!), user, ct);
    }

    private async Task<ReturnState> StateAsync(LaReturn ret, SurveyDefinition definition, ClaimsPrincipal user, CancellationToken ct)
    {
        var previous = await PreviousAcceptedAsync(ret.LaCode, ret.Collection!, definition, ct);
        var peers = await peerReference(definition, ret.Collection!, ret.LaCode, ct);
        var validation = ValidationEngine.Validate(definition, ret.Values, previous?.Values, peers);
        return new ReturnState(ret.Values, ret.Explanations, ret.RowVersion, validation, await ReplacedAnswersAsync(ret, definition, user, ct));
    }

    /// <summary>
    /// Answers of this user that a colleague knowingly replaced ("Use my answers instead") and that this user has not
    /// changed since: the page tells them the next time it saves or loads.
    /// </summary>
    private async Task<IReadOnlyList<ReplacedAnswer>> ReplacedAnswersAsync(LaReturn ret, SurveyDefinition definition, ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.UserId();
        if (userId is null)
        {
            return [];
        }

        var replacements = await db.AuditEvents.AsNoTracking()
            .Where(a => a.ReturnId == ret.Id && a.Action == AuditActions.ValueChanged && a.Detail != null && a.UserId != userId)
            .OrderByDescending(a => a.Id).Take(200).ToListAsync(ct);
        var result = new List<ReplacedAnswer>();
        foreach (var replacement in replacements.Where(a => AuditEventReplacement.ReplacedUserId(a) == userId).DistinctBy(a => a.ItemKey))
        {
            var later = await db.AuditEvents.AsNoTracking()
                .AnyAsync(a => a.ReturnId == ret.Id && a.ItemKey == replacement.ItemKey && a.Id > replacement.Id && a.Action == AuditActions.ValueChanged, ct);
            if (!later && replacement.ItemKey is { } key && definition.QuestionForValueKey(key) is not null)
            {
                result.Add(new ReplacedAnswer(key, Label(definition, key), replacement.OldValue ?? "", replacement.NewValue ?? "", replacement.UserEmail ?? "someone else", replacement.OccurredAt));
            }
        }

        return result;
    }

    /// <summary>The field error of a typed value (does not parse, out of range, not allowed "not recorded"), or null.</summary>
    private static string? FieldError(SurveyDefinition definition, string key, StoredAnswer answer)
    {
        if (!answer.Answered || answer.Text is null)
        {
            var notRecordedQuestion = definition.QuestionForValueKey(key);
            return answer.IsNotRecorded && notRecordedQuestion is { AllowNotRecorded: false }
                ? $"{AnswerParser.LabelFor(notRecordedQuestion, key)} cannot be 'not recorded': enter an answer"
                : null;
        }

        var question = definition.QuestionForValueKey(key)!;
        var checkedAnswer = AnswerParser.Read(question, new Dictionary<string, string?> { [key] = answer.Text }, key);
        return checkedAnswer.State == AnswerState.Invalid
            ? (checkedAnswer.RuleId == "FIELD-NOT-RECORDED" ? $"{AnswerParser.LabelFor(question, key)} cannot be 'not recorded': enter an answer" : checkedAnswer.Error)
            : null;
    }

    private const string InactiveMessage = "Your account has been deactivated, so your changes were not saved. Contact your organisation's administrator.";

    /// <summary>A deactivated person's open page must stop saving at once, not at the next sign-in check.</summary>
    private async Task<bool> IsActiveAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.UserId();
        return userId is not null && await db.Users.AsNoTracking().AnyAsync(u => u.Id == userId && u.IsActive, ct);
    }

    /// <summary>Why this person's change to their own LA's return cannot be saved now (account inactive, closed or read-only), or null.</summary>
    private SaveOutcome? SaveRefusal(LaReturn ret, bool accountActive) =>
        !accountActive ? SaveOutcome.Refused(InactiveMessage)
        : EditRefusal(ret, ret.Collection!) is { } refusal ? SaveOutcome.Refused(refusal)
        : null;

    /// <summary>The return with its collection, tracked for the save; the caller holds its lock (<see cref="LockForSaveAsync"/>).</summary>
    private async Task<LaReturn?> ReadLockedAsync(int returnId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
    }

    /// <summary>
    /// Locks the return until the transaction ends and reads, in the same round trip, what a save needs to know besides
    /// the return: whether the account is still active (checked on every save), which accepted return is last year's,
    /// by its row version, so that its values can be kept in memory and are read again only when it changes or another
    /// is accepted; and whether anyone but this person ever knowingly replaced an answer of the return (if not, no one
    /// replaced this person's). Null when the return does not exist. Plain SQL on the context's connection: EF Core
    /// generates the SQL of a parameterised FromSql or SqlQuery again on every call, which cost more CPU than the rest
    /// of the save's reads together under load.
    /// </summary>
    private async Task<SaveFacts?> LockForSaveAsync(ClaimsPrincipal user, int returnId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = """
                SELECT EXISTS (SELECT 1 FROM "AspNetUsers" u WHERE u.id = @user_id AND u.is_active),
                       p.id, p.row_version, p.period, p.survey_id, p.definition_version,
                       EXISTS (SELECT 1 FROM audit_events a WHERE a.return_id = r.id AND a.action = @value_changed
                               AND a.detail IS NOT NULL AND (a.user_id <> @user_id OR a.user_id IS NULL))
                FROM (SELECT id, la_code, collection_id FROM returns WHERE id = @return_id FOR UPDATE) AS r
                JOIN collections c ON c.id = r.collection_id
                LEFT JOIN LATERAL (
                    SELECT pr.id, pr.xmin::text::bigint AS row_version, pc.period, pc.survey_id, pc.definition_version
                    FROM returns pr JOIN collections pc ON pc.id = pr.collection_id
                    WHERE pr.la_code = r.la_code AND pr.status = @accepted
                      AND pc.survey_id = c.survey_id AND pc.period_start < c.period_start
                    ORDER BY pc.period_start DESC
                    LIMIT 1) AS p ON true
                """;
            AddParameter(command, "user_id", user.UserId() ?? "");
            AddParameter(command, "value_changed", AuditActions.ValueChanged);
            AddParameter(command, "return_id", returnId);
            AddParameter(command, "accepted", nameof(ReturnStatus.Accepted));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            return new SaveFacts(
                reader.GetBoolean(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetBoolean(6));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Last year's accepted return in this definition's keys, kept in memory under its row version.</summary>
    private async Task<PreviousReturn?> PreviousAcceptedAsync(SaveFacts facts, SurveyDefinition definition, CancellationToken ct)
    {
        if (facts.PreviousId is not { } id)
        {
            return null;
        }

        // The database name keeps two databases' returns with the same id apart (tests, restores).
        var key = string.Join('|', "previous-accepted", db.Database.GetDbConnection().Database, id.ToString(CultureInfo.InvariantCulture),
            facts.PreviousRowVersion?.ToString(CultureInfo.InvariantCulture), facts.PreviousSurveyId, facts.PreviousDefinitionVersion, definition.SurveyId, definition.Version);
        if (cache.TryGetValue(key, out PreviousReturn? kept) && kept is not null)
        {
            return kept;
        }

        var values = await db.Returns.AsNoTracking().Where(r => r.Id == id).Select(r => r.Values).SingleAsync(ct);
        var previous = InDefinitionKeys(facts.PreviousPeriod!, facts.PreviousSurveyId!, facts.PreviousDefinitionVersion!, values, definition);
        cache.Set(key, previous, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(30), Size = 1 });
        return previous;
    }

    private sealed record SaveFacts(bool Active, int? PreviousId, long? PreviousRowVersion, string? PreviousPeriod, string? PreviousSurveyId, string? PreviousDefinitionVersion, bool AnyReplacedByOthers);

    private const int MaxSaveAttempts = 20;

    /// <summary>
    /// The return afresh, or why this person may not change it now (not theirs, account inactive, closed or read-only).
    /// The form save takes its row lock itself, with the facts it needs, in one command.
    /// </summary>
    private async Task<(LaReturn Return, SaveOutcome? Refused)> LoadForEditAsync(ClaimsPrincipal user, int returnId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        return ret is null ? (null!, SaveOutcome.NotFound) : await CheckForEditAsync(user, ret, ct);
    }

    private async Task<(LaReturn Return, SaveOutcome? Refused)> CheckForEditAsync(ClaimsPrincipal user, LaReturn ret, CancellationToken ct)
    {
        if (!CanEdit(user, ret))
        {
            return (null!, SaveOutcome.NotFound);
        }

        return (ret, SaveRefusal(ret, await IsActiveAsync(user, ct)));
    }

    /// <summary>
    /// Saves the LA's explanation of a query. <paramref name="before"/> is the explanation the person started from: if
    /// someone else changed it meanwhile, nothing is overwritten and the person is told, with both texts.
    /// </summary>
    public async Task<SaveOutcome> SaveExplanationAsync(ClaimsPrincipal user, int returnId, string ruleId, string? explanation, string? before = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (ret, refused) = await LoadForEditAsync(user, returnId, ct);
            if (refused is not null)
            {
                return refused;
            }

            var text = explanation?.Trim() ?? "";
            if (text.Length > 2000)
            {
                return SaveOutcome.Refused("Explanation must be 2,000 characters or fewer.");
            }

            var definition = Definition(ret.Collection!);
            var current = ret.Explanations.GetValueOrDefault(ruleId) ?? "";
            if (current == text)
            {
                return SaveOutcome.Saved(await StateAsync(ret, definition, user, ct));
            }

            if (current != (before?.Trim() ?? ""))
            {
                var last = await db.AuditEvents.AsNoTracking()
                    .Where(a => a.ReturnId == returnId && a.Action == AuditActions.ExplanationChanged && a.ItemKey == ruleId)
                    .OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
                var changedBy = last?.UserEmail ?? "someone else";
                return SaveOutcome.ExplanationConflict(
                    $"Not saved: {changedBy} changed this explanation while you were typing. Their explanation is shown; copy anything of yours you want to keep from below.",
                    await StateAsync(ret, definition, user, ct));
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
            db.AuditEvents.Add(Audit(user, ret, AuditActions.ExplanationChanged, now, "form", ruleId, current.Length == 0 ? null : current, text));
            ret.LastModifiedAt = now;
            ret.LastModifiedBy = user.Email();
            try
            {
                await db.SaveChangesAsync(ct);
                return SaveOutcome.Saved(await StateAsync(ret, definition, user, ct));
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxSaveAttempts)
            {
                // Someone saved another part of the return: go round again and re-check this explanation against theirs.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return SaveOutcome.Busy;
            }
        }
    }

    /// <summary>Re-validates on the server and freezes an immutable, numbered snapshot; refuses a return that is not ready.</summary>
    public async Task<Outcome<ReturnSubmission>> SubmitAsync(ClaimsPrincipal user, int returnId, string declarationName, string declarationRole, CancellationToken ct = default)
    {
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !CanEdit(user, ret))
        {
            return Outcome.NotFound("Return not found.").As<ReturnSubmission>();
        }

        if (EditRefusal(ret, ret.Collection!) is { } refusal)
        {
            return Outcome.Refused(Problem.General(refusal)).As<ReturnSubmission>();
        }

        var context = await BuildContextAsync(ret, ct);
        var problems = SubmissionBlockers(context).Select(b => new Problem(b.Field, b.Message)).ToList();
        if (string.IsNullOrWhiteSpace(declarationName))
        {
            problems.Add(new(Fields.DeclarationName, "Enter the name of the person who approved these figures"));
        }

        if (string.IsNullOrWhiteSpace(declarationRole))
        {
            problems.Add(new(Fields.DeclarationRole, "Enter the job title of the person who approved these figures"));
        }

        if (problems.Count > 0)
        {
            return Outcome.Refused(problems).As<ReturnSubmission>();
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
        db.AuditEvents.Add(Audit(user, ret, AuditActions.Submitted, now, "form", null, null, submission.Reference));
        await db.SaveChangesAsync(ct);
        try
        {
            await notifier.ReturnSubmittedAsync(ret, submission, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The submission is stored; an email that cannot be sent must not undo or hide that.
            logger.LogWarning(ex, "Could not email the submission confirmation for return {ReturnId}", ret.Id);
        }

        return Outcome.Done(submission);
    }

    /// <summary>Why this return cannot be submitted yet, in the words the data lead sees.</summary>
    public static IEnumerable<string> SubmissionProblems(ReturnContext context) => SubmissionBlockers(context).Select(b => b.Message);

    /// <summary>
    /// Everything that stops this return being submitted, each about one question, cell or query, so a page can link
    /// to exactly that place: errors first, then unanswered questions, then queries still to explain, in survey order.
    /// </summary>
    public static IReadOnlyList<SubmissionBlocker> SubmissionBlockers(ReturnContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = context.Definition;
        var blockers = new List<SubmissionBlocker>();
        foreach (var error in context.Validation.Errors.DistinctBy(e => e.Message))
        {
            var key = error.ItemKeys.FirstOrDefault(k => definition.QuestionForValueKey(k) is not null) ?? error.ItemKeys.FirstOrDefault();
            var question = key is null ? null : definition.QuestionForValueKey(key);
            blockers.Add(new SubmissionBlocker(SubmissionBlockerKind.Error, error.Message, question?.SectionKey, key, null));
        }

        foreach (var question in ValidationEngine.Unanswered(definition, context.Return.Values))
        {
            var firstMissing = question.ValueKeys.First(k => !StoredAnswer.From(context.Return.Values, k).Answered);
            var message = question.AllowNotRecorded
                ? $"Answer ‘{question.Label}’, or choose Not recorded"
                : $"Answer ‘{question.Label}’";
            blockers.Add(new SubmissionBlocker(SubmissionBlockerKind.Unanswered, message, question.SectionKey, firstMissing, null));
        }

        foreach (var query in context.Validation.Queries.Where(q => !context.Return.Explanations.ContainsKey(q.RuleId)).DistinctBy(q => q.RuleId))
        {
            var sectionKey = query.ItemKeys.Select(k => definition.QuestionForValueKey(k)?.SectionKey).FirstOrDefault(k => k is not null);
            blockers.Add(new SubmissionBlocker(SubmissionBlockerKind.QueryToExplain, "Explain this, or change the figures: " + query.Message, sectionKey, null, query.RuleId));
        }

        return blockers;
    }

    /// <summary>The LA takes a submitted return back to change it while the collection is open.</summary>
    public async Task<Outcome> ReopenAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var ret = await db.Returns.Include(r => r.Collection).SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (ret is null || !CanEdit(user, ret))
        {
            return Outcome.NotFound("Return not found.");
        }

        if (ret.Status != ReturnStatus.Submitted)
        {
            return Outcome.Refused(Problem.General(ret.Status == ReturnStatus.Accepted
                ? "This return has been accepted. Ask the national team to reopen it."
                : "Only a submitted return can be reopened."));
        }

        if (!IsOpen(ret.Collection!))
        {
            return Outcome.Refused(Problem.General("The deadline has passed, so the return cannot be changed. Contact the national team if you need to change it."));
        }

        var now = clock.GetUtcNow();
        ret.Status = ReturnStatus.InProgress;
        ret.LastModifiedAt = now;
        ret.LastModifiedBy = user.Email();
        db.AuditEvents.Add(Audit(user, ret, AuditActions.Reopened, now, "form", null, null, null));
        await db.SaveChangesAsync(ct);
        return Outcome.Done();
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

    private async Task<ValidationResult> RefreshAsync(LaReturn ret, SurveyDefinition definition, PreviousReturn? previous, CancellationToken ct)
    {
        var peers = await peerReference(definition, ret.Collection!, ret.LaCode, ct);
        var result = ValidationEngine.Validate(definition, ret.Values, previous?.Values, peers);
        ret.ErrorCount = result.Errors.Count();
        ret.QueryCount = result.Queries.Count();
        ret.QueryRuleIds = result.Queries.Select(q => q.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();
        ret.ErrorRuleIds = result.Errors.Select(e => e.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();
        return result;
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

        return InDefinitionKeys(previous.Collection!.Period, previous.Collection.SurveyId, previous.Collection.DefinitionVersion, previous.Values, definition);
    }

    /// <summary>An earlier period's values, stored under its own definition, in <paramref name="definition"/>'s keys.</summary>
    private PreviousReturn InDefinitionKeys(string period, string surveyId, string definitionVersion, IReadOnlyDictionary<string, string?> values, SurveyDefinition definition)
    {
        var fromDefinition = catalog.Get(surveyId, definitionVersion);
        return new PreviousReturn(period, fromDefinition is null || fromDefinition.Version == definition.Version
            ? values
            : VersionMapping.Translate(fromDefinition, definition, values));
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

public enum SubmissionBlockerKind { Error, Unanswered, QueryToExplain }

/// <summary>One thing that stops submission: an error or unanswered question (ItemKey) or a query to explain (RuleId).</summary>
public sealed record SubmissionBlocker(SubmissionBlockerKind Kind, string Message, string? SectionKey, string? ItemKey, string? RuleId)
{
    /// <summary>What a submission's <see cref="Problem"/> names as its field, so a page finds the blocker again by it ("return" when about no one item).</summary>
    public string Field => RuleId is { } ruleId ? "query:" + ruleId : ItemKey is { } key ? "item:" + key : "return";
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

    /// <summary>Last year's final benchmark figures that the peer rules compared against; null when there is none.</summary>
    public PeerReference? Peers { get; init; }
}

public sealed record ConflictDetail(string Key, string Label, StoredAnswer Theirs, StoredAnswer Yours, string ChangedBy, DateTimeOffset? ChangedAt, string? ChangedByUserId = null);

/// <summary>What a page shows after a save: the stored return, its row version and its validation.</summary>
public sealed record ReturnState(
    IReadOnlyDictionary<string, string?> Values,
    IReadOnlyDictionary<string, string> Explanations,
    uint RowVersion,
    ValidationResult Validation,
    IReadOnlyList<ReplacedAnswer> ReplacedAnswers);

/// <summary>An answer of this person that a colleague knowingly replaced with theirs.</summary>
public sealed record ReplacedAnswer(string Key, string Label, string Yours, string Theirs, string ReplacedBy, DateTimeOffset ReplacedAt);

/// <summary>
/// What a save did: an <see cref="Outcome"/> (Done when stored) with the stored return as it now is (<see cref="State"/>,
/// also after a conflict), the answers someone else changed meanwhile, and the form values not stored because they fail
/// their own question's checks (<see cref="NotSaved"/>, key to message).
/// </summary>
public sealed record SaveOutcome(
    OutcomeStatus Status,
    IReadOnlyList<Problem> Problems,
    ReturnState? State,
    IReadOnlyList<ConflictDetail> Conflicts,
    IReadOnlyDictionary<string, string> NotSaved) : Outcome(Status, Problems)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static new readonly SaveOutcome NotFound = new(OutcomeStatus.NotFound, [Problem.General("Return not found.")], null, [], None);

    /// <summary>Too many people saved this return at the same moment; nothing of this save was stored, so try again.</summary>
    public static new readonly SaveOutcome Busy = new(OutcomeStatus.Busy, [Problem.General("Many people are saving this return at the same moment.")], null, [], None);

    /// <summary>The stored answers after this save (empty when nothing is known, e.g. refused or not found).</summary>
    public IReadOnlyDictionary<string, string?> Values => State?.Values ?? new Dictionary<string, string?>();

    public uint RowVersion => State?.RowVersion ?? 0;

    public static SaveOutcome Saved(ReturnState state, IReadOnlyDictionary<string, string>? notSaved = null) =>
        new(OutcomeStatus.Done, [], state, [], notSaved ?? None);

    /// <summary>Refused as a whole (the return's state or deadline), not because of one field.</summary>
    public static SaveOutcome Refused(string message) => Refused(Problem.General(message));

    public static SaveOutcome Refused(Problem problem) => new(OutcomeStatus.Refused, [problem], null, [], None);

    public static SaveOutcome Conflict(IReadOnlyList<ConflictDetail> conflicts, ReturnState current, IReadOnlyDictionary<string, string>? notSaved = null) =>
        new(OutcomeStatus.Conflict, [Problem.General("Someone else changed this return while you were editing it.")], current, conflicts, notSaved ?? None);

    public static SaveOutcome ExplanationConflict(string message, ReturnState current) =>
        new(OutcomeStatus.Conflict, [Problem.General(message)], current, [], None);
}

/// <summary>What the home page shows an analyst or administrator.</summary>
public sealed record NationalOverview(int LocalAuthorities, int SubmittedOrAccepted, int Collections);

/// <summary>
/// Last year's peer figures a return's peer-range queries compare against, or null when there are none. PeerInsight
/// supplies it from the published benchmarks; a delegate, so that Returns does not depend on the features built on it.
/// </summary>
public delegate Task<PeerReference?> PeerReferenceSource(SurveyDefinition definition, Collection collection, string laCode, CancellationToken ct);

/// <summary>What other features do when a return changes state (benchmarks, email); a seam at a boundary.</summary>
public interface IReturnEvents
{
    Task ReturnAcceptedAsync(LaReturn ret, CancellationToken ct);

    Task ReturnSentBackAsync(LaReturn ret, string comment, CancellationToken ct);
}
