using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Tracker;

public static class Extensions
{
    /// <summary>The case-level tracker: computing a return's figures from an FGC service's own tracker.</summary>
    public static IServiceCollection AddTracker(this IServiceCollection services)
    {
        services.AddScoped<TrackerUploadService>();
        return services;
    }
}
