using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core.Benchmarks;

public static class Extensions
{
    /// <summary>
    /// The whole benchmark feature: build, scheduler, reader, jobs, exports, its metrics and its subscription to return
    /// decisions. Uses the <see cref="SurveyDefinitionCatalog"/> if one is registered; otherwise registers one on
    /// <c>SurveyDefinitions:Path</c> (default: survey-definitions in the repository).
    /// </summary>
    public static IServiceCollection AddBenchmarks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
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
        services.TryAddSingleton<FgcMetrics>();
        services.AddSingleton<BenchmarkBuilder>();
        services.AddSingleton<BenchmarkScheduler>();
        services.AddSingleton<BenchmarkReader>();
        services.AddSingleton<Exports.BenchmarkExports>();
        services.AddTransient<BenchmarkJobs>();
        services.AddScoped<IReturnEvents, BenchmarkReturnEvents>();
        return services;
    }
}
