using FgcReturns.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Benchmarks;

/// <summary>
/// Hangfire jobs that build benchmarks. Each builds the final (accepted) and the provisional (accepted and
/// submitted) benchmarks of a survey. There is deliberately no Hangfire distributed lock (DisableConcurrentExecution):
/// its lock outlives a crashed holder by its timeout, so a build killed mid-way blocked the next one for minutes.
/// The builder's PostgreSQL session advisory lock keeps one build at a time across all jobs, servers and processes
/// and is released the moment the holding session ends; a job that finds it held reschedules itself.
/// </summary>
public sealed class BenchmarkJobs(
    BenchmarkBuilder builder,
    IDbContextFactory<FgcDbContext> dbFactory,
    BenchmarkScheduler scheduler)
{
    /// <summary>The coalesced build requested by acceptances.</summary>
    [AutomaticRetry(Attempts = 2)]
    public async Task RunRequestedAsync(string surveyId, CancellationToken ct)
    {
        // Deleted first: an acceptance during the build schedules the next build instead of being lost.
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM benchmark_build_requests WHERE survey_id = {surveyId}", ct);
        }

        if (await BuildBothAsync(surveyId, BenchmarkTrigger.Acceptance, null, ct))
        {
            // Another build held the lock: try again after the coalescing delay.
            await scheduler.RequestSurveyBuild(surveyId, ct);
        }
    }

    [AutomaticRetry(Attempts = 1)]
    public async Task RunNightlyAsync(CancellationToken ct)
    {
        List<string> surveys;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            surveys = await db.Collections.Select(c => c.SurveyId).Distinct().ToListAsync(ct);
        }

        foreach (var surveyId in surveys)
        {
            await BuildBothAsync(surveyId, BenchmarkTrigger.Nightly, null, ct);
        }
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunOnDemandAsync(string surveyId, string? requestedBy, CancellationToken ct)
    {
        if (await BuildBothAsync(surveyId, BenchmarkTrigger.OnDemand, requestedBy, ct))
        {
            await scheduler.RequestSurveyBuild(surveyId, ct);
        }
    }

    /// <summary>True when a build could not start because another held the lock.</summary>
    private async Task<bool> BuildBothAsync(string surveyId, BenchmarkTrigger trigger, string? requestedBy, CancellationToken ct)
    {
        var final = await builder.BuildAsync(surveyId, BenchmarkKind.Final, trigger, requestedBy, ct);
        var provisional = await builder.BuildAsync(surveyId, BenchmarkKind.Provisional, trigger, requestedBy, ct);
        if (final.Outcome == BuildOutcome.Failed || provisional.Outcome == BuildOutcome.Failed)
        {
            // Recorded on the build row; failing the job makes Hangfire retry it.
            throw new InvalidOperationException($"Benchmark build failed: {final.Error ?? provisional.Error}");
        }

        return final.Outcome == BuildOutcome.AlreadyRunning || provisional.Outcome == BuildOutcome.AlreadyRunning;
    }
}
