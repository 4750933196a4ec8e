using FgcReturns.Core.Data;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.SurveyDefinitions;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core.Benchmarks;

public static class Extensions
{
    /// <summary>
    /// Benchmark build, scheduler, reader, jobs and exports. Uses the <see cref="SurveyDefinitionCatalog"/> if one is
    /// registered; otherwise registers one on <c>SurveyDefinitions:Path</c> (default: survey-definitions in the repository).
    /// </summary>
    public static IServiceCollection AddBenchmarks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(BenchmarkBuilder)))
        {
            return services;
        }

        services.AddOptions<BenchmarkOptions>().Bind(configuration.GetSection(BenchmarkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BenchmarkOptions>>().Value);
        services.TryAddSingleton(sp =>
        {
            var path = configuration["SurveyDefinitions:Path"];
            if (string.IsNullOrWhiteSpace(path))
            {
                var root = Data.Extensions.RepositoryRoot(sp.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory);
                path = Path.Combine(root, "survey-definitions");
            }

            return new SurveyDefinitionCatalog(path);
        });
        services.AddSingleton<BenchmarkBuilder>();
        services.AddSingleton<BenchmarkScheduler>();
        services.AddSingleton<BenchmarkReader>();
        services.AddSingleton<Exports.BenchmarkExports>();
        services.AddTransient<BenchmarkJobs>();
        return services;
    }

    /// <summary>Registers the nightly rebuild. Call once at start-up (e.g. from UseWeb) with the DI-resolved manager.</summary>
    public static IServiceProvider RegisterBenchmarkJobs(this IServiceProvider services)
    {
        BenchmarkJobs.RegisterRecurringJobs(services.GetRequiredService<IRecurringJobManager>(), services.GetRequiredService<BenchmarkOptions>());
        return services;
    }
}
