using FgcReturns.Core.Returns;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.PeerInsight;

public static class Extensions
{
    /// <summary>Peer insight (issue 14): last year's final benchmark for peer queries and the "where you would sit" panel; the peer reference the return service validates against.</summary>
    public static IServiceCollection AddPeerInsight(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddScoped<PeerBenchmarkQuery>();
        services.AddScoped<PeerPositionService>();
        services.AddScoped<PeerReferenceSource>(sp => sp.GetRequiredService<PeerBenchmarkQuery>().ReferenceAsync);
        return services;
    }
}
