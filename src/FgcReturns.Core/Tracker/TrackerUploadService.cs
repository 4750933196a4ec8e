using System.Globalization;
using System.Security.Claims;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Tracker;

/// <summary>
/// A tracker upload: read and computed in memory, then kept only as its computed figures in a pending upload,
/// previewed and applied through <see cref="ReturnUploadService"/> (the same save path as any upload).
/// The file and its rows are never stored, and never logged.
/// </summary>
public sealed class TrackerUploadService(FgcDbContext db, ReturnService returns, ReturnUploadService uploads, TimeProvider clock)
{
    private const string PendingNamePrefix = "Your tracker of ";

    public async Task<TrackerCheck> CheckAsync(ClaimsPrincipal user, int returnId, Stream content, string fileName, long length, CancellationToken ct = default)
    {
        var context = await returns.GetAsync(user, returnId, ct);
        if (context is null || !user.IsInRole(Roles.LaDataLead))
        {
            return TrackerCheck.NotFound;
        }

        if (context.EditRefusal is { } refusal)
        {
            return new TrackerCheck(true, [new TrackerProblem(null, null, refusal)], null);
        }

        if (context.Definition.Tracker is null)
        {
            return new TrackerCheck(true, [new TrackerProblem(null, null, $"Version {context.Definition.Version} of this return has no tracker, so it cannot be computed from one.")], null);
        }

        var computed = TrackerComputation.Compute(content, fileName, length, context.Definition, context.Collection.PeriodStart, context.Collection.PeriodEnd);
        if (!computed.IsClean)
        {
            return new TrackerCheck(true, computed.Problems, null);
        }

        var pending = new PendingUpload
        {
            Id = Guid.NewGuid(),
            ReturnId = returnId,
            UserId = user.UserId() ?? "",
            FileName = PendingName(computed.RowCount),
            Values = new Dictionary<string, string?>(computed.Values, StringComparer.Ordinal),
            BaseRowVersion = context.Return.RowVersion,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PendingUploads.Add(pending);
        await db.SaveChangesAsync(ct);
        return new TrackerCheck(true, [], pending.Id);
    }

    /// <summary>Applies the computed figures through the upload save path, then records where they came from.</summary>
    public async Task<SaveOutcome> ApplyAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var pending = await db.PendingUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.ReturnId == returnId, ct);
        if (pending is null || RowCount(pending.FileName) is not { } rows)
        {
            return SaveOutcome.NotFound;
        }

        var outcome = await uploads.ApplyAsync(user, returnId, uploadId, ct);
        if (outcome.Status == OutcomeStatus.Done)
        {
            var ret = await db.Returns.AsNoTracking().SingleAsync(r => r.Id == returnId, ct);
            db.AuditEvents.Add(ReturnAudit.Event(user, ret, AuditActions.TrackerApplied, clock.GetUtcNow(), "upload", null, null, AuditText(rows)));
            await db.SaveChangesAsync(ct);
        }

        return outcome;
    }

    /// <summary>The figures a pending tracker upload would set, for this user only.</summary>
    public async Task<Dictionary<string, string?>?> ComputedValuesAsync(ClaimsPrincipal user, int returnId, Guid uploadId, CancellationToken ct = default)
    {
        var uid = user.UserId();
        var pending = await db.PendingUploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.ReturnId == returnId && u.UserId == uid, ct);
        return pending?.Values;
    }

    public static string AuditText(int rows) =>
        string.Create(CultureInfo.InvariantCulture, $"computed from a tracker of {rows} {(rows == 1 ? "row" : "rows")}");

    public static bool IsTrackerUpload(string pendingName) => RowCount(pendingName) is not null;

    private static string PendingName(int rows) => string.Create(CultureInfo.InvariantCulture, $"{PendingNamePrefix}{rows} {(rows == 1 ? "row" : "rows")}");

    private static int? RowCount(string pendingName) =>
        pendingName.StartsWith(PendingNamePrefix, StringComparison.Ordinal)
        && int.TryParse(pendingName.AsSpan(PendingNamePrefix.Length).ToString().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            ? rows
            : null;
}

public sealed record TrackerCheck(bool Found, IReadOnlyList<TrackerProblem> Problems, Guid? UploadId)
{
    public static readonly TrackerCheck NotFound = new(false, [], null);
}
