using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Returns;

public static class Extensions
{
    /// <summary>
    /// An LA's return: filling it in (form and upload), review by analysts, and the emails its events send. Other
    /// features hear of submissions and decisions by registering their own <see cref="IReturnEvents"/>.
    /// </summary>
    public static IServiceCollection AddReturns(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddScoped<ReturnService>();
        services.AddScoped<ReturnUploadService>();
        services.AddScoped<ReturnReviewService>();
        services.AddScoped<ReturnEmailNotifier>();
        services.AddScoped<IReturnEvents>(sp => sp.GetRequiredService<ReturnEmailNotifier>());
        return services;
    }
}
