using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.Collections;

public static class Extensions
{
    /// <summary>Collections: the service, reminders and the recurring jobs (scheduled in Jobs/RecurringJobs.cs).</summary>
    public static IServiceCollection AddCollections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CollectionOptions>().Bind(configuration.GetSection(CollectionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CollectionOptions>, CollectionOptionsValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CollectionOptions>>().Value);
        services.AddScoped<CollectionService>();
        services.AddScoped<CollectionReminders>();
        services.AddScoped<CollectionJobs>();
        return services;
    }
}
