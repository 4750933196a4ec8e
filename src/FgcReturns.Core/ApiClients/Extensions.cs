using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.ApiClients;

public static class Extensions
{
    /// <summary>API clients (secrets, scope) and the submission API over the return service.</summary>
    public static IServiceCollection AddApiClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ApiOptions>>().Value);
        services.AddScoped<ApiClientService>();
        services.AddScoped<ReturnApi>();
        return services;
    }
}

/// <summary>Limits of the submission API (setting section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests each client may make in a minute before getting 429.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>The largest request body accepted; a whole return is a few kilobytes.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
