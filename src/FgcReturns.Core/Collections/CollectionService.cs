using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FgcReturns.Core.Collections;

/// <summary>
/// Creating and running collections: create, extend the deadline, close early, reopen (administrators only, checked
/// here from the signed-in user), the scheduled open/close, and the analysts' list and chase-list dashboard.
/// </summary>
public sealed class CollectionService(FgcDbContext db, SurveyDefinitionCatalog catalog, TimeProvider clock)
{
    /// <summary>Field names used in <see cref="Problem.Field"/>, matching the form's element ids.</summary>
    private static readonly Outcome<Collection> CollectionNotFound = Outcome.NotFound("Collection not found", Fields.Collection).As<Collection>();

    public static class Fields
    {
        public const string Definition = "definition";
        public const string Period = "period";
        public const string OpensOn = "opens-on";
        public const string Deadline = "deadline";
        public const string Title = "title";
        public const string Collection = "collection";
        public const string PublicationDate = "publication-date";
    }

    /// <summary>Today in the UK (<see cref="UkTime"/>): a deadline day lasts until 23:59:59 UK time.</summary>
    public DateOnly Today => UkTime.Today(clock);

    /// <summary>Definition versions a collection may use: published ones only.</summary>
    public IReadOnlyList<SurveyDefinition> UsableDefinitions() =>
        catalog.All.Where(d => d.Status == DefinitionStatus.Published).OrderBy(d => d.SurveyId, StringComparer.Ordinal).ThenByDescending(d => d.SemanticVersion).ToList();

    /// <summary>Every collection, newest period first, with how many returns are in and how many are expected.</summary>
    public async Task<IReadOnlyList<CollectionSummary>> ListAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (!user.IsNational())
        {
            return [];
        }

        return await db.Collections.AsNoTracking()
            .OrderByDescending(c => c.PeriodStart).ThenBy(c => c.SurveyId)
            .Select(c => new CollectionSummary(
                c,
                db.Returns.Count(r => r.CollectionId == c.Id),
                db.Returns.Count(r => r.CollectionId == c.Id && (r.Status == ReturnStatus.Submitted || r.Status == ReturnStatus.Accepted))))
            .ToListAsync(ct);
    }

    public async Task<Collection?> GetAsync(ClaimsPrincipal user, int collectionId, CancellationToken ct = default) =>
        user.IsNational() ? await db.Collections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == collectionId, ct) : null;

    /// <summary>Creates a collection on a published definition version and a not-started return for every LA.</summary>
    public async Task<Outcome<Collection>> CreateAsync(ClaimsPrincipal user, NewCollection request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsAdministrator(user))
        {
            return Outcome.Forbidden("Only administrators can create collections.", Fields.Collection).As<Collection>();
        }

        var problems = new List<Problem>();
        SurveyDefinition? definition = null;
        if (string.IsNullOrWhiteSpace(request.SurveyId) || string.IsNullOrWhiteSpace(request.DefinitionVersion))
        {
            problems.Add(new(Fields.Definition, "Choose the survey definition version to collect"));
        }
        else if (catalog.Get(request.SurveyId, request.DefinitionVersion) is not { } found)
        {
            problems.Add(new(Fields.Definition, $"There is no survey definition {request.SurveyId} version {request.DefinitionVersion}"));
        }
        else if (found.Status != DefinitionStatus.Published)
        {
            problems.Add(new(Fields.Definition, found.Status == DefinitionStatus.Draft
                ? $"{found.Title} version {found.Version} is a draft. A collection can only use a published version: publish it first, or choose a published version"
                : $"{found.Title} version {found.Version} has been retired. Choose a published version"));
        }
        else
        {
            definition = found;
        }

        FinancialYear year = default;
        if (string.IsNullOrWhiteSpace(request.Period))
        {
            problems.Add(new(Fields.Period, "Enter the reporting period"));
        }
        else if (!FinancialYear.TryParse(request.Period, out year))
        {
            problems.Add(new(Fields.Period, "Enter the reporting period as a financial year, for example 2026-27"));
        }

        if (request.OpensOn is null)
        {
            problems.Add(new(Fields.OpensOn, "Enter the opening date"));
        }
        else if (year != default && request.OpensOn < year.Start)
        {
            problems.Add(new(Fields.OpensOn, $"The opening date must be on or after the start of the reporting period, {LongDate(year.Start)}"));
        }

        if (request.Deadline is null)
        {
            problems.Add(new(Fields.Deadline, "Enter the deadline"));
        }
        else if (request.OpensOn is { } opens && request.Deadline <= opens)
        {
            problems.Add(new(Fields.Deadline, "The deadline must be after the opening date"));
        }
        else if (request.Deadline < Today)
        {
            problems.Add(new(Fields.Deadline, "The deadline must be today or in the future"));
        }

        var title = request.Title?.Trim() ?? "";
        if (title.Length > 200)
        {
            problems.Add(new(Fields.Title, "The title must be 200 characters or fewer"));
        }

        if (definition is not null && year != default
            && await db.Collections.AsNoTracking().FirstOrDefaultAsync(c => c.SurveyId == definition.SurveyId && c.Period == year.Label, ct) is { } existing)
        {
            problems.Add(DuplicateProblem(existing));
        }

        if (problems.Count > 0 || definition is null)
        {
            return Outcome.Refused(problems).As<Collection>();
        }

        var now = clock.GetUtcNow();
        var collection = new Collection
        {
            SurveyId = definition.SurveyId,
            DefinitionVersion = definition.Version,
            Period = year.Label,
            PeriodStart = year.Start,
            PeriodEnd = year.End,
            OpensOn = request.OpensOn!.Value,
            Deadline = request.Deadline!.Value,
            Status = request.OpensOn <= Today ? CollectionStatus.Open : CollectionStatus.Scheduled,
            CreatedAt = now,
            Title = title.Length > 0 ? title : $"{definition.Title} {year.Label}",
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Collections.Add(collection);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone created the same period between our check and our insert.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var other = await db.Collections.AsNoTracking().FirstAsync(c => c.SurveyId == collection.SurveyId && c.Period == collection.Period, ct);
            return Outcome.Refused([DuplicateProblem(other)]).As<Collection>();
        }

        await CollectionSetup.EnsureReturnsAsync(db, collection.Id, ct);
        db.AuditEvents.Add(Audit(user, collection, AuditActions.CollectionCreated, now, null, collection.Title, new
        {
            collectionId = collection.Id,
            surveyId = collection.SurveyId,
            definitionVersion = collection.DefinitionVersion,
            period = collection.Period,
            opensOn = IsoDate(collection.OpensOn),
            deadline = IsoDate(collection.Deadline),
            status = collection.Status.ToString(),
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Outcome.Done(collection);
    }

    /// <summary>Moves the deadline later; a closed collection is reopened instead.</summary>
    /// <param name="rowVersion">The collection's row version as the administrator's page showed it; refused if anyone changed it since.</param>
    public async Task<Outcome<Collection>> ExtendDeadlineAsync(ClaimsPrincipal user, int collectionId, DateOnly? newDeadline, uint? rowVersion = null, CancellationToken ct = default)
    {
        if (!IsAdministrator(user))
        {
            return Outcome.Forbidden("Only administrators can extend a deadline.", Fields.Collection).As<Collection>();
        }

        var (collection, refused) = await ForChangeAsync(collectionId, rowVersion, Fields.Deadline, ct);
        if (refused is not null)
        {
            return refused;
        }

        var problem = collection.Status == CollectionStatus.Closed
            ? "This collection is closed. Reopen it to set a new deadline"
            : newDeadline is null ? "Enter the new deadline"
            : newDeadline <= collection.Deadline ? $"The new deadline must be after the current deadline, {LongDate(collection.Deadline)}"
            : null;
        if (problem is not null)
        {
            return Outcome.Refused([new(Fields.Deadline, problem)]).As<Collection>();
        }

        var old = collection.Deadline;
        collection.Deadline = newDeadline!.Value;
        db.AuditEvents.Add(Audit(user, collection, AuditActions.DeadlineExtended, clock.GetUtcNow(), IsoDate(old), IsoDate(collection.Deadline), new { collectionId }));
        return await SaveAsync(collection, Fields.Deadline, ct);
    }

    /// <summary>Closes a collection before its deadline: LAs can no longer change their returns.</summary>
    public async Task<Outcome<Collection>> CloseAsync(ClaimsPrincipal user, int collectionId, uint? rowVersion = null, CancellationToken ct = default)
    {
        if (!IsAdministrator(user))
        {
            return Outcome.Forbidden("Only administrators can close a collection.", Fields.Collection).As<Collection>();
        }

        var (collection, refused) = await ForChangeAsync(collectionId, rowVersion, Fields.Collection, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (collection.Status == CollectionStatus.Closed)
        {
            return Outcome.Refused([new(Fields.Collection, "This collection is already closed")]).As<Collection>();
        }

        var old = collection.Status;
        collection.Status = CollectionStatus.Closed;
        collection.ClosedAt = clock.GetUtcNow();
        db.AuditEvents.Add(Audit(user, collection, AuditActions.CollectionClosed, clock.GetUtcNow(), old.ToString(), collection.Status.ToString(), new { collectionId, reason = "closed by an administrator" }));
        return await SaveAsync(collection, Fields.Collection, ct);
    }

    /// <summary>Reopens a closed collection, with a new deadline when the old one has passed.</summary>
    public async Task<Outcome<Collection>> ReopenAsync(ClaimsPrincipal user, int collectionId, DateOnly? newDeadline, uint? rowVersion = null, CancellationToken ct = default)
    {
        if (!IsAdministrator(user))
        {
            return Outcome.Forbidden("Only administrators can reopen a collection.", Fields.Collection).As<Collection>();
        }

        var (collection, refused) = await ForChangeAsync(collectionId, rowVersion, Fields.Deadline, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (collection.Status != CollectionStatus.Closed)
        {
            return Outcome.Refused([new(Fields.Collection, "Only a closed collection can be reopened")]).As<Collection>();
        }

        var deadline = newDeadline ?? collection.Deadline;
        var problem = deadline < Today
            ? newDeadline is null
                ? $"The deadline, {LongDate(collection.Deadline)}, has passed. Enter a new deadline to reopen the collection"
                : "The new deadline must be today or in the future"
            : deadline <= collection.OpensOn ? "The deadline must be after the opening date"
            : null;
        if (problem is not null)
        {
            return Outcome.Refused([new(Fields.Deadline, problem)]).As<Collection>();
        }

        if (await db.Collections.AnyAsync(c => c.Id != collectionId && c.SurveyId == collection.SurveyId && c.Period == collection.Period && c.Status != CollectionStatus.Closed, ct))
        {
            return Outcome.Refused([new(Fields.Collection, $"Another collection for {collection.Period} is open. Close it first")]).As<Collection>();
        }

        var oldDeadline = collection.Deadline;
        collection.Deadline = deadline;
        collection.Status = collection.OpensOn <= Today ? CollectionStatus.Open : CollectionStatus.Scheduled;
        collection.ClosedAt = null;
        db.AuditEvents.Add(Audit(user, collection, AuditActions.CollectionReopened, clock.GetUtcNow(), IsoDate(oldDeadline), IsoDate(deadline), new { collectionId, status = collection.Status.ToString() }));
        return await SaveAsync(collection, Fields.Deadline, ct);
    }

    /// <summary>
    /// Sets the day this year's benchmarks are published (shown on every workbook's cover and the benchmark pages), or
    /// clears it. Analysts decide publication, so analysts and administrators may set it.
    /// </summary>
    /// <param name="rowVersion">The collection's row version as the page showed it; refused if anyone changed it since.</param>
    public async Task<Outcome<Collection>> SetPublicationDateAsync(ClaimsPrincipal user, int collectionId, DateOnly? date, uint? rowVersion = null, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.Analyst) && !IsAdministrator(user))
        {
            return Outcome.Forbidden("Only analysts and administrators can set the publication date.", Fields.Collection).As<Collection>();
        }

        var (collection, refused) = await ForChangeAsync(collectionId, rowVersion, Fields.PublicationDate, ct);
        if (refused is not null)
        {
            return refused;
        }

        if (date is { } day && day <= collection.PeriodEnd)
        {
            return Outcome.Refused([new(Fields.PublicationDate, $"The publication date must be after the reporting year ends, {LongDate(collection.PeriodEnd)}")]).As<Collection>();
        }

        if (date == collection.PublicationDate)
        {
            return Outcome.Done(collection);
        }

        var old = collection.PublicationDate;
        collection.PublicationDate = date;
        db.AuditEvents.Add(Audit(user, collection, AuditActions.PublicationDateSet, clock.GetUtcNow(),
            old is { } o ? IsoDate(o) : null, date is { } d ? IsoDate(d) : null, new { collectionId }));
        return await SaveAsync(collection, Fields.PublicationDate, ct);
    }

    /// <summary>The collection to change, or why not: it does not exist, or the page showed an older version of it.</summary>
    private async Task<(Collection Collection, Outcome<Collection>? Refused)> ForChangeAsync(int collectionId, uint? rowVersion, string field, CancellationToken ct)
    {
        var collection = await db.Collections.SingleOrDefaultAsync(c => c.Id == collectionId, ct);
        if (collection is null)
        {
            return (null!, CollectionNotFound);
        }

        return await StaleAsync(collection, rowVersion, field, ct) is { } stale ? (collection, stale) : (collection, null);
    }

    /// <summary>
    /// Refuses a change made on a page showing an older version of the collection (its xmin row version), saying who
    /// changed what, so one administrator never silently undoes another's change.
    /// </summary>
    private async Task<Outcome<Collection>?> StaleAsync(Collection collection, uint? rowVersion, string field, CancellationToken ct)
    {
        if (rowVersion is not { } seen)
        {
            return null;
        }

        if (collection.RowVersion != seen)
        {
            return Outcome.Conflict([new(field, await ChangedByOthersAsync(collection.Id, ct))]).As<Collection>();
        }

        // The update is made only if the row is still as the page showed it: a change in between is caught on save.
        db.Entry(collection).Property(c => c.RowVersion).OriginalValue = seen;
        return null;
    }

    private async Task<Outcome<Collection>> SaveAsync(Collection collection, string field, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return Outcome.Done(collection);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Conflict([new(field, await ChangedByOthersAsync(collection.Id, ct))]).As<Collection>();
        }
    }

    /// <summary>"Not changed: x extended the deadline from … to … (date and time), after you opened this page. …"</summary>
    private async Task<string> ChangedByOthersAsync(int collectionId, CancellationToken ct)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"collection:{collectionId}");
        var last = await db.AuditEvents.AsNoTracking().Where(a => a.ItemKey == key).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        var who = last?.UserEmail ?? (last?.Source == "system" ? "the daily schedule" : "someone else");
        var what = last?.Action switch
        {
            AuditActions.DeadlineExtended => $"{who} extended the deadline from {ReadableDate(last.OldValue)} to {ReadableDate(last.NewValue)}",
            AuditActions.CollectionClosed => $"{who} closed the collection",
            AuditActions.CollectionReopened => $"{who} reopened the collection with the deadline {ReadableDate(last.NewValue)}",
            AuditActions.CollectionOpened => $"{who} opened the collection",
            AuditActions.PublicationDateSet => last.NewValue is null
                ? $"{who} removed the publication date"
                : $"{who} set the publication date to {ReadableDate(last.NewValue)}",
            _ => "someone else changed this collection",
        };
        var when = last is null ? "" : $" ({UkTime.DateAndTime(last.OccurredAt)})";
        return $"Not changed: {what}{when}, after you opened this page. The page now shows the collection as it is: check it, then try again.";
    }

    private static string ReadableDate(string? iso) =>
        DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? UkTime.Date(date) : iso ?? "";

    /// <summary>
    /// Opens scheduled collections whose opening date has come and closes open ones whose deadline has passed.
    /// Each change is a conditional update, so two runs at once change (and audit) a collection only once.
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplyScheduleAsync(CancellationToken ct = default)
    {
        var today = Today;
        var due = await db.Collections.AsNoTracking()
            .Where(c => (c.Status == CollectionStatus.Scheduled && c.OpensOn <= today) || (c.Status == CollectionStatus.Open && c.Deadline < today))
            .ToListAsync(ct);
        var changes = new List<string>();
        foreach (var collection in due)
        {
            var to = collection.Deadline < today ? CollectionStatus.Closed : CollectionStatus.Open;
            DateTimeOffset? closedAt = to == CollectionStatus.Closed ? clock.GetUtcNow() : null;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var changed = await db.Collections
                .Where(c => c.Id == collection.Id && c.Status == collection.Status)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, to).SetProperty(c => c.ClosedAt, closedAt), ct);
            if (changed == 0)
            {
                continue;
            }

            if (to == CollectionStatus.Open)
            {
                await CollectionSetup.EnsureReturnsAsync(db, collection.Id, ct);
            }

            db.AuditEvents.Add(new AuditEvent
            {
                OccurredAt = clock.GetUtcNow(),
                Action = to == CollectionStatus.Open ? AuditActions.CollectionOpened : AuditActions.CollectionClosed,
                ItemKey = string.Create(CultureInfo.InvariantCulture, $"collection:{collection.Id}"),
                OldValue = collection.Status.ToString(),
                NewValue = to.ToString(),
                Source = "system",
                Detail = JsonSerializer.Serialize(new { collectionId = collection.Id, reason = to == CollectionStatus.Open ? "opening date reached" : "deadline passed" }),
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"{collection.Title} ({collection.Id}): {collection.Status} -> {to}"));
        }

        return changes;
    }

    /// <summary>
    /// The chase list: every LA's return in the collection with its region, in one set-based query (returns joined to
    /// LAs and regions). Counts are over all returns; the rows are filtered and sorted in memory (at most a few hundred).
    /// Null when the collection does not exist or the user is not national.
    /// </summary>
    public async Task<CollectionDashboard?> DashboardAsync(ClaimsPrincipal user, int collectionId, DashboardQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!user.IsNational() || await db.Collections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == collectionId, ct) is not { } collection)
        {
            return null;
        }

        var returns = await db.Returns.AsNoTracking()
            .Where(r => r.CollectionId == collectionId)
            .Select(r => new
            {
                Row = new DashboardRow(
                    r.Id,
                    r.LaCode,
                    r.LocalAuthority!.Name,
                    r.LocalAuthority.RegionCode,
                    r.LocalAuthority.Region!.Name,
                    r.Status,
                    r.LastModifiedAt,
                    r.LastModifiedBy,
                    r.ErrorCount,
                    r.QueryCount,
                    r.SubmittedVersion,
                    r.SubmittedAt),
                r.QueryRuleIds,
                r.Explanations,
            })
            .ToListAsync(ct);
        var leads = await ActiveDataLeadsAsync(ct);
        var overdue = collection.ClosedEarly ? 0 : UkTime.DaysOverdue(collection.Deadline, clock);
        var all = returns.Select(r => r.Row with
        {
            UnexplainedQueryCount = r.QueryRuleIds.Count(id => !r.Explanations.ContainsKey(id)),
            DaysOverdue = r.Row.Status is ReturnStatus.Submitted or ReturnStatus.Accepted ? 0 : overdue,
            DataLeads = leads[r.Row.LaCode].ToList(),
        }).ToList();

        var counts = Enum.GetValues<ReturnStatus>().Select(s => new StatusCount(s, all.Count(r => r.Status == s), all.Count)).ToList();
        var regions = all.GroupBy(r => r.RegionCode).Select(g => new RegionOption(g.Key, g.First().RegionName)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var rows = query.Apply(all);
        return new CollectionDashboard(collection, all.Count, counts, regions, rows, query) { WithoutDataLead = all.Count(r => r.HasNoActiveDataLead) };
    }

    /// <summary>Every LA's active data leads, by LA code, in name order.</summary>
    private async Task<ILookup<string, DataLead>> ActiveDataLeadsAsync(CancellationToken ct)
    {
        var leadRole = db.Roles.Where(r => r.Name == Roles.LaDataLead).Select(r => r.Id);
        var leads = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.LaCode != null && u.Email != null)
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && leadRole.Contains(ur.RoleId)))
            .Select(u => new { LaCode = u.LaCode!, Email = u.Email!, u.DisplayName })
            .ToListAsync(ct);
        return leads
            .Select(l => (l.LaCode, Lead: new DataLead(string.IsNullOrWhiteSpace(l.DisplayName) ? l.Email : l.DisplayName, l.Email)))
            .OrderBy(l => l.Lead.Name, StringComparer.InvariantCulture).ThenBy(l => l.Lead.Email, StringComparer.Ordinal)
            .ToLookup(l => l.LaCode, l => l.Lead, StringComparer.Ordinal);
    }

    public static string LongDate(DateOnly date) => UkTime.LongDate(date);

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool IsAdministrator(ClaimsPrincipal user) => user.IsInRole(Roles.Administrator);

    private static Problem DuplicateProblem(Collection existing) =>
        new(Fields.Period, $"There is already a collection for {existing.Period} ({existing.Title}). Change that collection's dates instead of creating another");

    private static AuditEvent Audit(ClaimsPrincipal user, Collection collection, string action, DateTimeOffset at, string? oldValue, string? newValue, object detail) => new()
    {
        OccurredAt = at,
        UserId = user.UserId(),
        UserEmail = user.Email(),
        Action = action,
        ItemKey = string.Create(CultureInfo.InvariantCulture, $"collection:{collection.Id}"),
        OldValue = oldValue,
        NewValue = newValue,
        Source = "analyst",
        Detail = JsonSerializer.Serialize(detail),
    };
}

/// <summary>What an administrator asks for when creating a collection; dates are null when not given.</summary>
public sealed record NewCollection(string? SurveyId, string? DefinitionVersion, string? Period, DateOnly? OpensOn, DateOnly? Deadline, string? Title = null);

public sealed record CollectionSummary(Collection Collection, int Returns, int SubmittedOrAccepted);
