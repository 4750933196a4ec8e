using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Collections;

public static class Extensions
{
    /// <summary>Collections: the service, reminders and the recurring jobs (scheduled in Jobs/RecurringJobs.cs).</summary>
    public static IServiceCollection AddCollections(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(CollectionOptions.Section).Get<CollectionOptions>() ?? new CollectionOptions();
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new StartupException("The Collections settings are not valid: " + string.Join(" ", problems));
        }

        services.AddSingleton(options);
        services.AddScoped<CollectionService>();
        services.AddScoped<CollectionReminders>();
        services.AddScoped<CollectionJobs>();
        return services;
    }
}
