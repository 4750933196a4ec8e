using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.Email;

public static class Extensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string repositoryRoot)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section))
            .PostConfigure(o => o.PickupDirectory ??= Path.Combine(repositoryRoot, ".data", "emails"))
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.PortalBaseUrl)
                    || (Uri.TryCreate(o.PortalBaseUrl, UriKind.Absolute, out var address) && address.Scheme is "http" or "https"),
                "Email:PortalBaseUrl must be the portal's absolute http or https address, such as https://fgc-returns.example.")
            .ValidateOnStart();

        // One instance, injected as itself: the host fills in PortalBaseUrl on it once it knows where it listens.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value);

        // Which sender is a registration choice, so it is read from configuration here; everything else through the options.
        if (string.IsNullOrWhiteSpace(configuration[$"{EmailOptions.Section}:{nameof(EmailOptions.SmtpHost)}"]))
        {
            services.AddSingleton<EmlFileEmailSender>();
            services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<EmlFileEmailSender>());
        }
        else
        {
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }

        return services;
    }
}
