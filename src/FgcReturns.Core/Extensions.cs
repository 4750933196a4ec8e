using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Jobs;
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
        var demo = configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions { Seed = environment.IsDevelopment() };
        if (configuration.GetSection(DemoOptions.Section)["Seed"] is null)
        {
            demo.Seed = environment.IsDevelopment();
        }

        services.AddSingleton(demo);
        services.AddFgcData(configuration, environment);
        services.AddFgcIdentity();
        services.AddFgcJobs(configuration);
        return services;
    }
}
