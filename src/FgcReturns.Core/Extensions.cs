using FgcReturns.Core.ApiClients;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.PeerInsight;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Telemetry;
using FgcReturns.Core.Tracker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core;

public static class Extensions
{
    /// <summary>Everything that is not HTTP or UI: data, identity, jobs, and each feature.</summary>
    public static IServiceCollection AddCore(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        // Demo:Seed defaults to on in Development only; the setting, when present, wins.
        services.AddOptions<DemoOptions>().Configure(o => o.Seed = environment.IsDevelopment())
            .Bind(configuration.GetSection(DemoOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DemoOptions>>().Value);
        services.AddFgcTelemetry(configuration);
        services.AddFgcData(configuration, environment);
        services.AddUsers();
        services.AddFgcJobs(configuration);
        services.AddSurveyDefinitions(DefinitionsPath(configuration, environment));
        services.AddEmail(configuration, Data.Extensions.RepositoryRoot(environment.ContentRootPath));
        services.AddPeerInsight();
        services.AddReturns();
        services.AddCollections(configuration);
        services.AddBenchmarks(configuration);
        services.AddApiClients(configuration);
        services.AddTracker();

        // Start-up steps, in order: record definition hashes (fails on a changed published file), then demo data.
        services.AddSingleton<DatabaseInitializer.SeedStep>((sp, ct) =>
            DefinitionRegistry.SyncAsync(sp.GetRequiredService<FgcDbContext>(), sp.GetRequiredService<SurveyDefinitionCatalog>(), sp.GetRequiredService<TimeProvider>(), ct));
        services.AddSingleton<DatabaseInitializer.SeedStep>((sp, ct) => sp.GetRequiredService<DemoOptions>().Seed
            ? DemoCollectionSeeder.SeedAsync(sp.GetRequiredService<FgcDbContext>(), sp.GetRequiredService<SurveyDefinitionCatalog>(), sp.GetRequiredService<TimeProvider>(), ct)
            : Task.CompletedTask);

        // A newcomer's first run should show benchmarks of the synthetic year without waiting for the nightly build.
        services.AddSingleton<DatabaseInitializer.SeedStep>(async (sp, ct) =>
        {
            var jobs = sp.GetRequiredService<JobsOptions>();
            if (sp.GetRequiredService<DemoOptions>().Seed && jobs.ServerEnabled
                && !await sp.GetRequiredService<FgcDbContext>().Set<BenchmarkBuild>().AnyAsync(ct))
            {
                sp.GetRequiredService<BenchmarkScheduler>().BuildNow(DemoCollectionSeeder.SurveyId, "demo data");
            }
        });
        return services;
    }

    /// <summary>The survey-definitions folder: the setting SurveyDefinitions:Path, else the repository's own.</summary>
    private static string DefinitionsPath(IConfiguration configuration, IHostEnvironment environment) =>
        configuration["SurveyDefinitions:Path"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Data.Extensions.RepositoryRoot(environment.ContentRootPath), "survey-definitions");
}
