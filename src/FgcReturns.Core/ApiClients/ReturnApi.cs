using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.ApiClients;

/// <summary>
/// The submission API over the one return service: reads through <see cref="ReturnService.GetAsync"/>, saves through
/// <see cref="ReturnService.SaveLockedAsync"/> (the same checks, validation, audit and benchmark input as the pages'
/// <see cref="ReturnService.SaveAsync"/>, on the row it has read and locked). What it adds is
/// strict checking of the request (every bad item refused with its pointer, nothing applied) and the If-Match check.
/// </summary>
public sealed class ReturnApi(FgcDbContext db, ReturnService returns, TimeProvider clock)
{
    public const int ExplanationMaxLength = 2000;

    public async Task<IReadOnlyList<ApiCollection>> OpenCollectionsAsync(ClaimsPrincipal client, CancellationToken ct = default)
    {
        var la = client.LaCode();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await db.Returns.AsNoTracking().Include(r => r.Collection)
            .Where(r => r.LaCode == la && r.Collection!.Status == Collections.CollectionStatus.Open
                && r.Collection.OpensOn <= today && r.Collection.Deadline >= today)
            .OrderBy(r => r.Collection!.Deadline)
            .ToListAsync(ct);
        return rows.Select(r => CollectionOf(r)).ToList();
    }

    public async Task<ApiReturn?> ReadAsync(ClaimsPrincipal client, int returnId, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(client, returnId, ct);
        return context is null ? null : Describe(context);
    }

    /// <summary>Checks the values a PATCH would make, against the current return, and changes nothing.</summary>
    public async Task<ApiOutcome> DryRunAsync(ClaimsPrincipal client, int returnId, JsonElement body, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(client, returnId, ct);
        if (context is null)
        {
            return ApiOutcome.NotFound;
        }

        var (changes, problems) = ReadValues(context.Definition, body);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        var values = new Dictionary<string, string?>(context.Return.Values, StringComparer.Ordinal);
        foreach (var (key, after) in changes)
        {
            after.ApplyTo(values, key);
        }

        var validation = ValidationEngine.Validate(context.Definition, values, context.Previous?.Values, context.Peers);
        var checkedContext = context with { Return = Copy(context.Return, values), Validation = validation };
        return ApiOutcome.Checked(ValidationOf(checkedContext));
    }

    /// <summary>
    /// Applies every value or none: a bad item, a stale ETag or a read-only return changes nothing. One read of the
    /// return, locked until the commit (so the If-Match check is exact and no one saves in between), one validation
    /// and one write, through the same save as the pages; the answer is built from what was saved.
    /// </summary>
    public async Task<ApiOutcome> PatchValuesAsync(ClaimsPrincipal client, int returnId, string? ifMatch, JsonElement body, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ChangeTracker.Clear();
        var ret = await db.Returns.FromSql($"SELECT *, xmin FROM returns WHERE id = {returnId} FOR UPDATE")
            .Include(r => r.Collection).Include(r => r.LocalAuthority)
            .SingleOrDefaultAsync(ct);
        if (ret is null || !client.CanAccessLa(ret.LaCode))
        {
            return ApiOutcome.NotFound;
        }

        var collection = ret.Collection!;
        var definition = returns.Definition(collection);
        if (Preconditions(ret, returns.EditRefusal(ret, collection), ifMatch, out var expected) is { } refused)
        {
            return refused;
        }

        var (changes, problems) = ReadValues(definition, body);
        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        if (ret.RowVersion != expected)
        {
            return Stale(expected);
        }

        var valueChanges = changes.Select(c => new ValueChange(c.Key, StoredAnswer.From(ret.Values, c.Key), c.After)).ToList();
        var saved = await returns.SaveLockedAsync(client, ret, valueChanges, ChangeSource.Form, ct);
        switch (saved.Status)
        {
            case OutcomeStatus.Done:
                await transaction.CommitAsync(ct);
                return ApiOutcome.Ok(Describe(new ReturnContext(ret, collection, definition, null, saved.State!.Validation, returns.EditRefusal(ret, collection))));
            case OutcomeStatus.NotFound:
                return ApiOutcome.NotFound;
            case OutcomeStatus.Refused:
                return Refusal(ret, saved.Message!);
            default:
                return ApiOutcome.Refused(ApiOutcomeKind.Conflict, saved.Message ?? "The return changed while saving. Read it again and retry.");
        }
    }

    /// <summary>Sets (or with null, removes) explanations of queries, all or none.</summary>
    public async Task<ApiOutcome> PatchExplanationsAsync(ClaimsPrincipal client, int returnId, string? ifMatch, JsonElement body, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(client, returnId, ct);
        if (context is null)
        {
            return ApiOutcome.NotFound;
        }

        if (Preconditions(context.Return, context.EditRefusal, ifMatch, out var expected) is { } refused)
        {
            return refused;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiOutcome.Refused(ApiOutcomeKind.MalformedBody, "The body must be a JSON object of rule ids and explanations, like {\"Q-REVIEW-RATE\": \"Our review FGCs ...\"}.");
        }

        var explanations = new List<(string RuleId, string? Text)>();
        var problems = new List<ApiItemProblem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var pointer = Pointer(property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.DuplicateItem, pointer, $"'{property.Name}' is given more than once."));
            }
            else if (context.Definition.FindRule(property.Name) is not { Severity: Severity.Query })
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.UnknownItem, pointer, $"'{property.Name}' is not a query in {context.Definition}: only queries are explained."));
            }
            else if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.WrongType, pointer, "An explanation must be a string, or null to remove it."));
            }
            else if (property.Value.GetString() is { Length: > ExplanationMaxLength })
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.OutOfRange, pointer, string.Create(CultureInfo.InvariantCulture, $"An explanation must be {ExplanationMaxLength:#,##0} characters or fewer.")));
            }
            else
            {
                explanations.Add((property.Name, property.Value.GetString()));
            }
        }

        if (problems.Count > 0)
        {
            return Invalid(problems);
        }

        return await UnderLockAsync(client, returnId, expected, async current =>
        {
            foreach (var (ruleId, text) in explanations)
            {
                // The If-Match check under the row lock already proved the client saw the current explanations.
                var saved = await returns.SaveExplanationAsync(client, returnId, ruleId, text, current.Explanations.GetValueOrDefault(ruleId), ct);
                if (saved.Status != OutcomeStatus.Done)
                {
                    return saved.Status == OutcomeStatus.NotFound ? ApiOutcome.NotFound : Refusal(context.Return, saved.Message!);
                }
            }

            return null;
        }, ct);
    }

    /// <summary>The strong ETag of a row version.</summary>
    public static string ETagOf(uint rowVersion) => string.Create(CultureInfo.InvariantCulture, $"\"{rowVersion}\"");

    /// <summary>
    /// Reads a request body of item keys and values: numbers for counts, strings for choices and text, true/false or
    /// "yes"/"no" for yes-or-no, an array (or comma list) for several choices, null for "not recorded".
    /// </summary>
    public static (IReadOnlyList<(string Key, StoredAnswer After)> Changes, IReadOnlyList<ApiItemProblem> Problems) ReadValues(SurveyDefinition definition, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<ApiItemProblem>();
        var changes = new List<(string, StoredAnswer)>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ApiItemProblem(ApiProblemTypes.WrongType, "", "The body must be a JSON object of item keys and values, like {\"families_referred\": 120}."));
            return (changes, problems);
        }

        var known = definition.Questions.SelectMany(q => q.ValueKeys).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var key = property.Name;
            var pointer = Pointer(key);
            if (!seen.Add(key))
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.DuplicateItem, pointer, $"'{key}' is given more than once."));
                continue;
            }

            if (!known.Contains(key) || definition.QuestionForValueKey(key) is not { } question)
            {
                var grid = definition.FindQuestion(key)?.Grid is not null ? " It is a grid: give each cell by its key, like '" + definition.FindQuestion(key)!.ValueKeys.First() + "'." : "";
                problems.Add(new ApiItemProblem(ApiProblemTypes.UnknownItem, pointer, $"'{key}' is not an item in {definition}.{grid}"));
                continue;
            }

            var label = AnswerParser.LabelFor(question, key);
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                if (question.AllowNotRecorded)
                {
                    changes.Add((key, StoredAnswer.NotRecorded));
                }
                else
                {
                    problems.Add(new ApiItemProblem(ApiProblemTypes.NotRecordedNotAllowed, pointer, $"{label} cannot be 'not recorded' (null): give a value."));
                }

                continue;
            }

            if (RawText(question, property.Value) is not { } raw)
            {
                problems.Add(new ApiItemProblem(ApiProblemTypes.WrongType, pointer, $"{label} must be {Expected(question)}."));
                continue;
            }

            var answer = AnswerParser.Check(question, raw, label);
            switch (answer.State)
            {
                case AnswerState.Value:
                    changes.Add((key, StoredAnswer.Of(answer.Canonical)));
                    break;
                case AnswerState.Invalid when answer.RuleId is "FIELD-NEGATIVE" or "FIELD-MIN" or "FIELD-MAX":
                    problems.Add(new ApiItemProblem(ApiProblemTypes.OutOfRange, pointer, answer.Error!));
                    break;
                default:
                    problems.Add(new ApiItemProblem(ApiProblemTypes.WrongType, pointer, answer.Error ?? $"{label} must be {Expected(question)}."));
                    break;
            }
        }

        return (changes, problems);
    }

    /// <summary>A JSON pointer (RFC 6901) to a member of the request body.</summary>
    public static string Pointer(string member) =>
        "/" + member.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string? RawText(Question question, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when question.IsNumeric || question.Grid is not null => value.GetRawText(),
        JsonValueKind.String when !(question.IsNumeric || question.Grid is not null) && !string.IsNullOrWhiteSpace(value.GetString())
            && !(question.Type != QuestionType.Text && AnswerParser.IsNotRecordedText(value.GetString()!)) => value.GetString(),
        JsonValueKind.True when question.Type == QuestionType.YesNo => "yes",
        JsonValueKind.False when question.Type == QuestionType.YesNo => "no",
        JsonValueKind.Array when question.Type == QuestionType.MultipleChoice && value.GetArrayLength() > 0
            && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String && !(e.GetString() ?? "").Contains(',', StringComparison.Ordinal)) =>
            string.Join(',', value.EnumerateArray().Select(e => e.GetString())),
        _ => null,
    };

    private static string Expected(Question question) => question.Type switch
    {
        QuestionType.Count or QuestionType.CountGrid => "a whole number (a JSON number), or null for not recorded",
        QuestionType.Decimal => "a number (a JSON number), or null for not recorded",
        QuestionType.YesNo => "true, false, \"yes\" or \"no\"",
        QuestionType.SingleChoice => "one of the option values: " + string.Join(", ", question.Options.Select(o => "\"" + o.Value + "\"")),
        QuestionType.MultipleChoice => "an array of option values from: " + string.Join(", ", question.Options.Select(o => "\"" + o.Value + "\"")),
        _ => "a non-empty string",
    };

    private static ApiOutcome? Preconditions(LaReturn ret, string? editRefusal, string? ifMatch, out uint expected)
    {
        expected = 0;
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return ApiOutcome.Refused(ApiOutcomeKind.PreconditionRequired, "Send the return's ETag in an If-Match header, so a change made since you read it is never overwritten.");
        }

        var tag = ifMatch.Trim();
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"'
            || !uint.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out expected))
        {
            return ApiOutcome.Refused(ApiOutcomeKind.PreconditionFailed, $"If-Match {tag} is not an ETag of this return. Read the return again and use its ETag.");
        }

        return editRefusal is { } refusal ? Refusal(ret, refusal) : null;
    }

    /// <summary>
    /// Locks the return's row, checks its version against If-Match, applies, and commits only when everything applied:
    /// no one else can save in between, so a 412 is exact and a partial request never lands.
    /// </summary>
    private async Task<ApiOutcome> UnderLockAsync(ClaimsPrincipal client, int returnId, uint expected, Func<LaReturn, Task<ApiOutcome?>> apply, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var versions = await db.Database.SqlQuery<long>($"SELECT xmin::text::bigint AS \"Value\" FROM returns WHERE id = {returnId} FOR UPDATE").ToListAsync(ct);
            if (versions.Count == 0)
            {
                return ApiOutcome.NotFound;
            }

            if (versions[0] != expected)
            {
                return Stale(expected);
            }

            var current = await db.Returns.AsNoTracking().SingleAsync(r => r.Id == returnId, ct);
            if (await apply(current) is { } refused)
            {
                return refused;
            }

            await transaction.CommitAsync(ct);
        }

        db.ChangeTracker.Clear();
        var after = await returns.GetAsync(client, returnId, ct);
        return after is null ? ApiOutcome.NotFound : ApiOutcome.Ok(Describe(after));
    }

    private static ApiOutcome Invalid(IReadOnlyList<ApiItemProblem> problems) =>
        ApiOutcome.Refused(
            ApiOutcomeKind.InvalidItems,
            problems.Count == 1 ? "1 item is not valid: nothing was changed." : string.Create(CultureInfo.InvariantCulture, $"{problems.Count} items are not valid: nothing was changed."),
            problems);

    private static ApiOutcome Stale(uint expected) =>
        ApiOutcome.Refused(ApiOutcomeKind.PreconditionFailed, $"The return has changed since ETag \"{expected.ToString(CultureInfo.InvariantCulture)}\": nothing was changed. Read the return again, then send your changes with its new ETag.");

    private static ApiOutcome Refusal(LaReturn ret, string message) =>
        ret.Status is ReturnStatus.Submitted or ReturnStatus.Accepted
            ? ApiOutcome.Refused(ApiOutcomeKind.ReadOnly, message)
            : ApiOutcome.Refused(ApiOutcomeKind.CollectionClosed, message);

    private ApiReturn Describe(ReturnContext context)
    {
        var ret = context.Return;
        return new ApiReturn(
            ret.Id,
            ret.LaCode,
            ret.LocalAuthority?.Name ?? ret.LaCode,
            CollectionOf(ret, context.Collection),
            ret.Status.ToString(),
            ETagOf(ret.RowVersion),
            context.CanEdit,
            context.EditRefusal,
            ValuesOf(context.Definition, ret.Values),
            ret.Explanations,
            ValidationOf(context),
            ret.LastModifiedAt,
            ret.LastModifiedBy);
    }

    private static ApiValidation ValidationOf(ReturnContext context) => new(
        context.Validation.Errors.Count(),
        context.Validation.Queries.Count(),
        context.Validation.Issues.Select(i => new ApiIssue(
            i.RuleId,
            i.Severity == Severity.Error ? "error" : "query",
            i.Kind == IssueKind.Field ? "field" : "rule",
            i.ItemKeys,
            i.Message,
            context.Return.Explanations.GetValueOrDefault(i.RuleId))).ToList(),
        ValidationEngine.Unanswered(context.Definition, context.Return.Values).Select(q => q.Key).ToList(),
        ReturnService.SubmissionProblems(context).ToList());

    /// <summary>Stored text as JSON: numbers for numeric items that hold a valid number, otherwise the text; null for not recorded.</summary>
    private static Dictionary<string, object?> ValuesOf(SurveyDefinition definition, IReadOnlyDictionary<string, string?> values)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var question in definition.Questions)
        {
            foreach (var key in question.ValueKeys)
            {
                if (!values.TryGetValue(key, out var raw))
                {
                    continue;
                }

                result[key] = raw is not null && (question.IsNumeric || question.Grid is not null) && AnswerParser.TryParseDecimal(raw, out var number)
                    ? number
                    : raw;
            }
        }

        return result;
    }

    private static ApiCollection CollectionOf(LaReturn ret, Collections.Collection? collection = null)
    {
        var c = collection ?? ret.Collection!;
        return new ApiCollection(c.Id, c.Title, c.Period, c.SurveyId, c.DefinitionVersion, c.PeriodStart, c.PeriodEnd, c.OpensOn, c.Deadline, ret.Id, ret.Status.ToString());
    }

    private static LaReturn Copy(LaReturn ret, Dictionary<string, string?> values) => new()
    {
        Id = ret.Id,
        CollectionId = ret.CollectionId,
        Collection = ret.Collection,
        LaCode = ret.LaCode,
        LocalAuthority = ret.LocalAuthority,
        Status = ret.Status,
        Values = values,
        Explanations = ret.Explanations,
        RowVersion = ret.RowVersion,
    };
}
