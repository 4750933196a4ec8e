using System.Diagnostics;
using System.Globalization;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 4's server-side timings for one LA return: validating a full return, and saving one change through
/// <see cref="ReturnService.SaveAsync"/> against real PostgreSQL (the real web host's services on a fresh copy of the
/// seeded database, as Medway's data lead).
/// </summary>
internal static class ReturnTimings
{
    private const string Lead = TestData.Users.MedwayLead;

    public static IEnumerable<(string Measure, string Figure)> Validation(SurveyDefinitionCatalog catalog, int runs)
    {
        var definition = catalog.Get("fgc-annual", "1.0") ?? throw new InvalidOperationException("No FGC 1.0 definition.");

        // A full, realistic return (Medway-sized: about 60,000 children) and last year's for the year-on-year rules.
        var values = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2025);
        var previous = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2024);
        var issues = 0;
        for (var i = 0; i < 200; i++)
        {
            issues = ValidationEngine.Validate(definition, values, previous).Issues.Count; // warm-up
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            ValidationEngine.Validate(definition, values, previous);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        yield return ($"Validate one full FGC 1.0 return ({values.Count} values, {issues} issue(s); ms, median / p95 of {runs:N0})",
            $"{Percentile(times, 0.5):F3} / {Percentile(times, 0.95):F3}");
    }

    public static async Task<IEnumerable<(string Measure, string Figure)>> SaveAsync(TestDatabaseServer server, int saves)
    {
        await using var app = new FgcWebFactory(await server.CreateDatabaseAsync());
        int returnId;
        System.Security.Claims.ClaimsPrincipal lead;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
            var user = await users.FindByEmailAsync(Lead) ?? throw new InvalidOperationException("No user " + Lead);
            lead = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<FgcUser>>().CreateAsync(user);
            var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
            var ret = await db.Returns.AsNoTracking().Include(r => r.Collection)
                .SingleAsync(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.OpenPeriod);
            returnId = ret.Id;

            // Fill the return first, so each timed save works on a full return (as late in the collection).
            var catalog = scope.ServiceProvider.GetRequiredService<SurveyDefinitionCatalog>();
            var definition = catalog.Get(ret.Collection!.SurveyId, ret.Collection.DefinitionVersion)!;
            var full = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2025);
            var fill = full.Select(kv => new ValueChange(kv.Key, StoredAnswer.From(ret.Values, kv.Key),
                kv.Value is null ? StoredAnswer.NotRecorded : StoredAnswer.Of(kv.Value))).ToList();
            var filled = await scope.ServiceProvider.GetRequiredService<ReturnService>().SaveAsync(lead, returnId, fill, ChangeSource.Form);
            if (filled.Status != OutcomeStatus.Done)
            {
                throw new InvalidOperationException($"Filling the return failed: {filled.Status} {filled.Message}");
            }
        }

        // Each save changes families_offered between two values, in a new scope (a new DbContext) as a request would.
        var times = new List<double>(saves);
        var current = await app.WithScope(async s => StoredAnswer.From(
            (await s.GetRequiredService<FgcDbContext>().Returns.AsNoTracking().SingleAsync(r => r.Id == returnId)).Values, "families_offered"));
        for (var i = -20; i < saves; i++)
        {
            var next = StoredAnswer.Of((i % 2 == 0 ? 101 : 102).ToString(CultureInfo.InvariantCulture));
            if (next == current)
            {
                next = StoredAnswer.Of("103");
            }

            var watch = Stopwatch.StartNew();
            var outcome = await app.WithScope(s => s.GetRequiredService<ReturnService>()
                .SaveAsync(lead, returnId, [new ValueChange("families_offered", current, next)], ChangeSource.Form));
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (outcome.Status != OutcomeStatus.Done)
            {
                throw new InvalidOperationException($"Save {i} failed: {outcome.Status} {outcome.Message}");
            }

            current = next;
            if (i >= 0)
            {
                times.Add(elapsed); // the first 20 are warm-up
            }
        }

        return [($"Save one change through ReturnService.SaveAsync (ms, median / p95 of {saves:N0})",
            $"{Percentile(times, 0.5):F1} / {Percentile(times, 0.95):F1}")];
    }

    private static async Task<T> WithScope<T>(this FgcWebFactory app, Func<IServiceProvider, Task<T>> action)
    {
        using var scope = app.Services.CreateScope();
        return await action(scope.ServiceProvider);
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
