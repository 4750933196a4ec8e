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
public sealed class ReturnUploadService(FgcDbContext db, ReturnService returns, TimeProvider clock)
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

    /// <summary>Reads and checks the file; when it is clean and changes something, keeps it for the user to confirm.</summary>
    public async Task<UploadCheck> CheckAsync(ClaimsPrincipal user, int returnId, Stream content, string fileName, long length, CancellationToken ct = default)
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

        var parsed = new ReturnUploadReader().Read(content, fileName, length, context.Definition, new UploadExpectation(
            context.Return.LaCode, context.Collection.Id, context.Definition.Version, context.Return.LocalAuthority?.Name, context.Collection.Title));
        if (!parsed.IsClean)
        {
            return UploadCheck.WithProblems(parsed.Problems);
        }

        var pending = new PendingUpload
        {
            Id = Guid.NewGuid(),
            ReturnId = returnId,
            UserId = user.UserId() ?? "",
            FileName = Path.GetFileName(fileName),
            Values = new Dictionary<string, string?>(parsed.Values, StringComparer.Ordinal),
            BaseRowVersion = context.Return.RowVersion,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PendingUploads.Add(pending);
        await db.SaveChangesAsync(ct);
        return new UploadCheck(true, [], pending.Id);
    }

    /// <summary>What confirming the upload would change, and the validation results it would give.</summary>
    public async Task<UploadPreview?> PreviewAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(user, returnId, ct);
        var pending = await db.PendingUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.ReturnId == returnId, ct);
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

        var validation = ValidationEngine.Validate(context.Definition, after, context.Previous?.Values);
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

        if (current.RowVersion != pending.BaseRowVersion)
        {
            // The preview they confirmed is out of date: show it again, recomputed, and accept the next confirmation.
            pending.BaseRowVersion = current.RowVersion;
            await db.SaveChangesAsync(ct);
            return SaveOutcome.Refused("The return has changed since you uploaded the file. Check the changes below again before you confirm.");
        }

        var outcome = await returns.SaveAsync(user, returnId, Changes(current.Values, pending.Values), ChangeSource.Upload, ct);
        if (outcome.Status == SaveStatus.Saved)
        {
            db.PendingUploads.Remove(pending);
            await db.SaveChangesAsync(ct);
        }

        return outcome;
    }

    /// <summary>Whether an upload still waits; a newer preview replaces older ones at the next upload.</summary>
    public async Task<bool> DiscardAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var uid = user.UserId();
        return await db.PendingUploads.Where(u => u.Id == uploadId && u.ReturnId == returnId && u.UserId == uid).ExecuteDeleteAsync(ct) > 0;
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

public sealed record UploadCheck(bool Found, IReadOnlyList<UploadProblem> Problems, Guid? UploadId)
{
    public static readonly UploadCheck NotFound = new(false, [], null);

    public static UploadCheck WithProblems(IReadOnlyList<UploadProblem> problems) => new(true, problems, null);
}

public sealed record UploadChangeRow(string Key, string Label, Question Question, StoredAnswer Before, StoredAnswer After);

public sealed record UploadPreview(ReturnContext Context, string FileName, IReadOnlyList<UploadChangeRow> Changes, ValidationResult ValidationAfter);
