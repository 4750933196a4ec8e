using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.SurveyDefinitions;

public static class Extensions
{
    /// <summary>Registers a singleton <see cref="SurveyDefinitionCatalog"/> that loads the folder once, on first use.</summary>
    public static IServiceCollection AddSurveyDefinitions(this IServiceCollection services, string definitionsPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(definitionsPath);
        services.AddSingleton(_ => new SurveyDefinitionCatalog(definitionsPath));
        return services;
    }
}
