using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Email;

public static class Extensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string repositoryRoot)
    {
        var options = configuration.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
        options.PickupDirectory ??= Path.Combine(repositoryRoot, ".data", "emails");
        services.AddSingleton(options);
        if (string.IsNullOrWhiteSpace(options.SmtpHost))
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
