using FgcReturns.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Benchmarks;

/// <summary>
/// Requests benchmark builds. Requests coalesce: the first request for a survey records a pending row (one per
/// survey, by primary key) and schedules one delayed job; later requests find the row and do nothing, so many
/// acceptances in a minute make one build. The job deletes the row when it starts.
/// </summary>
public sealed class BenchmarkScheduler(
    IDbContextFactory<FgcDbContext> dbFactory,
    IBackgroundJobClient jobs,
    BenchmarkOptions options,
    TimeProvider clock)
{
    /// <summary>A pending row older than this is taken to be left over from a crash and is replaced.</summary>
    public TimeSpan StaleAfter => options.CoalesceDelay + TimeSpan.FromMinutes(15);

    /// <summary>Call when a return of the collection is accepted (or submitted). True when a new build was scheduled.</summary>
    public async Task<bool> RequestBuild(int collectionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var surveyId = await db.Collections.Where(c => c.Id == collectionId).Select(c => c.SurveyId).SingleOrDefaultAsync(ct)
            ?? throw new ArgumentException($"There is no collection {collectionId}.", nameof(collectionId));
        return await RequestSurveyBuild(surveyId, ct);
    }

    public async Task<bool> RequestSurveyBuild(string surveyId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var runAt = now + options.CoalesceDelay;
        var stale = now - StaleAfter;
        var claimed = await db.Database.SqlQuery<string>($"""
            INSERT INTO benchmark_build_requests (survey_id, requested_at, run_at)
            VALUES ({surveyId}, {now}, {runAt})
            ON CONFLICT (survey_id) DO UPDATE SET requested_at = excluded.requested_at, run_at = excluded.run_at, job_id = NULL
            WHERE benchmark_build_requests.requested_at < {stale}
            RETURNING survey_id AS "Value"
            """).ToListAsync(ct);
        if (claimed.Count == 0)
        {
            return false;
        }

        var jobId = jobs.Schedule<BenchmarkJobs>(j => j.RunRequestedAsync(surveyId, CancellationToken.None), options.CoalesceDelay);
        await db.Database.ExecuteSqlAsync($"UPDATE benchmark_build_requests SET job_id = {jobId} WHERE survey_id = {surveyId}", ct);
        return true;
    }

    /// <summary>An analyst's "Build now": queued at once (not coalesced), builds both kinds.</summary>
    public string BuildNow(string surveyId, string? requestedBy) =>
        jobs.Enqueue<BenchmarkJobs>(j => j.RunOnDemandAsync(surveyId, requestedBy, CancellationToken.None));
}
