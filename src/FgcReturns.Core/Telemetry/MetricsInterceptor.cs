using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FgcReturns.Core.Telemetry;

/// <summary>
/// Counts what is saved (returns, newly raised errors and queries, accepted upload previews) from the change tracker, so the
/// features' services need no metrics code. Counted only once the save has succeeded.
/// </summary>
internal sealed class MetricsInterceptor(FgcMetrics metrics) : SaveChangesInterceptor
{
    private readonly AsyncLocal<Pending?> pending = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Record();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record();
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => pending.Value = null;

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        pending.Value = null;
        return Task.CompletedTask;
    }

    private void Capture(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var saves = 0;
        var queries = new List<string>();
        var errors = new List<string>();
        foreach (var entry in context.ChangeTracker.Entries<LaReturn>().Where(e => e.State == EntityState.Modified))
        {
            var values = entry.Property(r => r.Values);
            var explanations = entry.Property(r => r.Explanations);
            if (values.IsModified || explanations.IsModified)
            {
                saves++;
            }

            var rules = entry.Property(r => r.QueryRuleIds);
            if (rules.IsModified)
            {
                var before = rules.OriginalValue ?? [];
                queries.AddRange((rules.CurrentValue ?? []).Except(before, StringComparer.Ordinal));
            }

            var errorRules = entry.Property(r => r.ErrorRuleIds);
            if (errorRules.IsModified)
            {
                errors.AddRange((errorRules.CurrentValue ?? []).Except(errorRules.OriginalValue ?? [], StringComparer.Ordinal));
            }
        }

        var uploads = context.ChangeTracker.Entries<PendingUpload>().Count(e => e.State == EntityState.Added);
        pending.Value = saves + queries.Count + errors.Count + uploads == 0 ? null : new Pending(saves, queries, errors, uploads);
    }

    private void Record()
    {
        if (pending.Value is not { } done)
        {
            return;
        }

        pending.Value = null;
        for (var i = 0; i < done.Saves; i++)
        {
            metrics.ReturnSaved();
        }

        foreach (var rule in done.Queries)
        {
            metrics.QueryRaised(rule);
        }

        foreach (var rule in done.Errors)
        {
            metrics.ErrorRaised(rule);
        }

        for (var i = 0; i < done.Uploads; i++)
        {
            metrics.UploadAccepted();
        }
    }

    private sealed record Pending(int Saves, List<string> Queries, List<string> Errors, int Uploads);
}
