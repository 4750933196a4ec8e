using System.Security.Claims;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Uploads;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Returns;

/// <summary>
/// Spreadsheet and CSV uploads: parse and check first, show what would change, apply only on confirmation,
/// through the same <see cref="ReturnService.SaveAsync"/> as the form.
/// </summary>
public sealed class ReturnUploadService(FgcDbContext db, ReturnService returns, TimeProvider clock, Telemetry.FgcMetrics metrics)
{
    public async Task<Stream?> TemplateAsync(ClaimsPrincipal user, int returnId, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(user, returnId, ct);
        if (context is null)
        {
            return null;
        }

        var output = new MemoryStream();
        new ReturnTemplateWriter().Write(output, context.Definition, TemplateContextFor(context), context.Return.Values);
        output.Position = 0;
        return output;
    }

    public static string TemplateFileName(ReturnContext context) =>
        $"fgc-return-{context.Collection.Period}-{context.Return.LaCode}-{Slug(context.Return.LocalAuthority?.Name ?? "")}.xlsx";

    /// <summary>How long a checked file waits to be confirmed, or its problems to be downloaded, before it is purged.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>The upload page's file input: a problem about it means "choose the file again".</summary>
    public const string FileField = "file";

    public const string ExpiredMessage =
        "Your file was checked more than 24 hours ago, so its changes can no longer be saved. Upload the file again to check it against your return as it is now.";

    /// <summary>
    /// Reads and checks the file; when it is clean and changes something, keeps it for the user to confirm. When it
    /// was read but has problems, keeps the file for a day so the full list of problems can be downloaded.
    /// </summary>
    public async Task<UploadCheck> CheckAsync(ClaimsPrincipal user, int returnId, Stream content, string fileName, long length, CancellationToken ct = default)
    {
        var check = await CheckFileAsync(user, returnId, content, fileName, length, ct);
        if (check is { Found: true, UploadId: null })
        {
            metrics.UploadRefused(RefusalReason(check));
        }

        return check;
    }

    /// <summary>For operators (metric fgc.uploads): why a file was refused, in one fixed word.</summary>
    private static string RefusalReason(UploadCheck check) => check switch
    {
        { ProblemListId: not null } => "problems",
        { Problems: [{ Location: "Return" }, ..] } => "not-editable",
        { Problems: [{ Message: ReturnUploadReader.TooLargeMessage }, ..] } => "too-large",
        { Problems: [{ Message: ReturnUploadReader.UnreadableMessage }, ..] } => "unreadable",
        _ => "rejected",
    };

    private async Task<UploadCheck> CheckFileAsync(ClaimsPrincipal user, int returnId, Stream content, string fileName, long length, CancellationToken ct)
    {
        var context = await returns.GetAsync(user, returnId, ct);
        if (context is null || !user.IsInRole(Roles.LaDataLead))
        {
            return UploadCheck.NotFound;
        }

        if (context.EditRefusal is { } refusal)
        {
            return UploadCheck.WithProblems([new UploadProblem("Return", refusal)]);
        }

        await PurgeExpiredAsync(ct);
        byte[]? bytes;
        try
        {
            bytes = length > ReturnUploadReader.MaxBytes ? null : ReturnUploadReader.ReadAtMost(content, ReturnUploadReader.MaxBytes);
        }
        catch (IOException)
        {
            return UploadCheck.WithProblems([new UploadProblem("File", ReturnUploadReader.UnreadableMessage)]);
        }

        if (bytes is null)
        {
            return UploadCheck.WithProblems([new UploadProblem("File", ReturnUploadReader.TooLargeMessage)]);
        }

        var parsed = new ReturnUploadReader().Read(bytes, fileName, context.Definition, Expectation(context), new UploadProblemList());
        var userId = user.UserId() ?? "";
        if (!parsed.IsClean)
        {
            if (parsed.IsRejected)
            {
                return UploadCheck.WithProblems(parsed.Problems);
            }

            await db.RefusedUploads.Where(u => u.ReturnId == returnId && u.UserId == userId).ExecuteDeleteAsync(ct);
            var refused = new RefusedUpload
            {
                Id = Guid.NewGuid(),
                ReturnId = returnId,
                UserId = userId,
                FileName = Path.GetFileName(fileName ?? ""),
                Content = bytes,
                CreatedAt = clock.GetUtcNow(),
            };
            db.RefusedUploads.Add(refused);
            await db.SaveChangesAsync(ct);
            db.Entry(refused).State = EntityState.Detached;
            return new UploadCheck(true, parsed.Problems, null, parsed.TotalProblems, refused.Id);
        }

        var pending = new PendingUpload
        {
            Id = Guid.NewGuid(),
            ReturnId = returnId,
            UserId = userId,
            FileName = Path.GetFileName(fileName ?? ""),
            Values = new Dictionary<string, string?>(parsed.Values, StringComparer.Ordinal),
            BaseRowVersion = context.Return.RowVersion,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PendingUploads.Add(pending);
        await db.SaveChangesAsync(ct);
        return new UploadCheck(true, [], pending.Id);
    }

    /// <summary>
    /// Writes every problem of a refused file as CSV (location, item key, problem), reading the kept file again and
    /// writing each problem as it is found. False when there is no such file for this user (or it has expired).
    /// </summary>
    public async Task<bool> WriteProblemListAsync(ClaimsPrincipal user, int returnId, Guid refusedId, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var context = await returns.GetAsync(user, returnId, ct);
        var uid = user.UserId();
        var since = clock.GetUtcNow() - KeptFor;
        var refused = await db.RefusedUploads.AsNoTracking()
            .SingleOrDefaultAsync(u => u.Id == refusedId && u.ReturnId == returnId && u.UserId == uid && u.CreatedAt > since, ct);
        if (context is null || refused is null)
        {
            return false;
        }

        await output.WriteLineAsync("location,item_key,problem".AsMemory(), ct);
        var problems = new UploadProblemList
        {
            Sink = p => output.WriteLine(string.Join(',', Csv(p.Location), Csv(p.ItemKey ?? ""), Csv(p.Message))),
        };
        new ReturnUploadReader().Read(refused.Content, refused.FileName, context.Definition, Expectation(context), problems);
        await output.FlushAsync(ct);
        return true;
    }

    /// <summary>Deletes previews and refused files older than <see cref="KeptFor"/>: they can no longer be confirmed or downloaded.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct = default)
    {
        var before = clock.GetUtcNow() - KeptFor;
        return await db.PendingUploads.Where(u => u.CreatedAt <= before).ExecuteDeleteAsync(ct)
            + await db.RefusedUploads.Where(u => u.CreatedAt <= before).ExecuteDeleteAsync(ct);
    }

    private static UploadExpectation Expectation(ReturnContext context) => new(
        context.Return.LaCode, context.Collection.Id, context.Definition.Version, context.Return.LocalAuthority?.Name, context.Collection.Title);

    /// <summary>A CSV field, neutralised for spreadsheets (a leading =, +, - or @ would be read as a formula).</summary>
    private static string Csv(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>What confirming the upload would change, and the validation results it would give.</summary>
    public async Task<UploadPreview?> PreviewAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(user, returnId, ct);
        var since = clock.GetUtcNow() - KeptFor;
        var pending = await db.PendingUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.ReturnId == returnId && u.CreatedAt > since, ct);
        if (context is null || pending is null || pending.UserId != user.UserId())
        {
            return null;
        }

        var changes = Changes(context.Return.Values, pending.Values);
        var after = new Dictionary<string, string?>(context.Return.Values, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            change.After.ApplyTo(after, change.Key);
        }

        var validation = ValidationEngine.Validate(context.Definition, after, context.Previous?.Values, context.Peers);
        var rows = changes.Select(c =>
        {
            var question = context.Definition.QuestionForValueKey(c.Key)!;
            return new UploadChangeRow(c.Key, AnswerParser.LabelFor(question, c.Key), question, c.Before, c.After);
        }).ToList();
        return new UploadPreview(context, pending.FileName, rows, validation);
    }

    /// <summary>Applies a previewed upload. Anything changed by someone else since the preview is reported, not overwritten.</summary>
    public async Task<SaveOutcome> ApplyAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var pending = await db.PendingUploads.SingleOrDefaultAsync(u => u.Id == uploadId && u.ReturnId == returnId, ct);
        var current = await db.Returns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == returnId, ct);
        if (pending is null || current is null || pending.UserId != user.UserId() || !user.CanAccessLa(current.LaCode))
        {
            return SaveOutcome.NotFound;
        }

        if (pending.CreatedAt <= clock.GetUtcNow() - KeptFor)
        {
            db.PendingUploads.Remove(pending);
            await db.SaveChangesAsync(ct);
            return SaveOutcome.Refused(new Problem(FileField, ExpiredMessage));
        }

        if (current.RowVersion != pending.BaseRowVersion)
        {
            // The preview they confirmed is out of date: show it again, recomputed, and accept the next confirmation.
            pending.BaseRowVersion = current.RowVersion;
            await db.SaveChangesAsync(ct);
            return SaveOutcome.Refused("The return has changed since you uploaded the file. Check the changes below again before you confirm.");
        }

        var outcome = await returns.SaveAsync(user, returnId, Changes(current.Values, pending.Values), ChangeSource.Upload, ct);
        if (outcome.Status == OutcomeStatus.Done)
        {
            db.PendingUploads.Remove(pending);
            await db.SaveChangesAsync(ct);
        }

        return outcome;
    }

    private static List<ValueChange> Changes(IReadOnlyDictionary<string, string?> current, IReadOnlyDictionary<string, string?> uploaded) =>
        uploaded
            .Select(kv => new ValueChange(kv.Key, StoredAnswer.From(current, kv.Key), kv.Value is null ? StoredAnswer.NotRecorded : StoredAnswer.Of(kv.Value)))
            .Where(c => c.Before != c.After)
            .ToList();

    private TemplateContext TemplateContextFor(ReturnContext c) => new(
        c.Return.LaCode, c.Return.LocalAuthority?.Name ?? c.Return.LaCode, c.Collection.Id, c.Collection.Title, c.Collection.Period, c.Collection.Deadline, clock.GetUtcNow());

    private static string Slug(string name) =>
        string.Concat(name.ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-')).Trim('-');
}

/// <summary>The outcome of checking a file.</summary>
/// <param name="Problems">The first <see cref="UploadProblemList.Shown"/> problems.</param>
/// <param name="TotalProblems">How many problems there are in all.</param>
/// <param name="ProblemListId">The kept file whose full list of problems can be downloaded, when it was read.</param>
public sealed record UploadCheck(bool Found, IReadOnlyList<UploadProblem> Problems, Guid? UploadId, int TotalProblems = 0, Guid? ProblemListId = null)
{
    public static readonly UploadCheck NotFound = new(false, [], null);

    public static UploadCheck WithProblems(IReadOnlyList<UploadProblem> problems) => new(true, problems, null, problems.Count);
}

public sealed record UploadChangeRow(string Key, string Label, Question Question, StoredAnswer Before, StoredAnswer After);

public sealed record UploadPreview(ReturnContext Context, string FileName, IReadOnlyList<UploadChangeRow> Changes, ValidationResult ValidationAfter);
