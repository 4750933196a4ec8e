using FgcReturns.Core.Email;
using FgcReturns.Core.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.Tests.Architecture;

/// <summary>
/// Settings are bound and checked through the features' own registrations, so a bad value stops the start with a
/// sentence naming the setting instead of surfacing later as a broken job or a wrong email link.
/// </summary>
public class SettingsValidationTests
{
    [Theory]
    [InlineData("Jobs:WorkerCount", "0", "Jobs:WorkerCount must be a whole number from 1 to 64.")]
    [InlineData("Jobs:QueuePollInterval", "00:00:00", "Jobs:QueuePollInterval must be between 0.1 seconds and 10 minutes")]
    [InlineData("Jobs:SchedulePollingInterval", "01:00:00", "Jobs:SchedulePollingInterval must be between 0.1 seconds and 10 minutes")]
    public void AddFgcJobs_BadSetting_FailsNamingIt(string key, string value, string expected)
    {
        // Arrange
        using var services = Services(s => s.AddFgcJobs(Configuration((key, value), ("Jobs:ServerEnabled", "false"))));

        // Act
        var read = () => services.GetRequiredService<IOptions<JobsOptions>>().Value;

        // Assert
        read.ShouldThrow<OptionsValidationException>().Message.ShouldContain(expected);
    }

    [Fact]
    public void AddFgcJobs_Defaults_AreValidAndTheSameInstanceIsInjected()
    {
        // Arrange
        using var services = Services(s => s.AddFgcJobs(Configuration(("Jobs:ServerEnabled", "false"), ("Jobs:WorkerCount", "3"))));

        // Act
        var options = services.GetRequiredService<IOptions<JobsOptions>>().Value;

        // Assert
        options.WorkerCount.ShouldBe(3);
        options.QueuePollInterval.ShouldBe(TimeSpan.FromSeconds(5));
        services.GetRequiredService<JobsOptions>().ShouldBeSameAs(options);
    }

    [Theory]
    [InlineData("Email:FromAddress", "not an address", "Email:FromAddress must be an email address")]
    [InlineData("Email:SmtpPort", "70000", "Email:SmtpPort must be a port number from 1 to 65535.")]
    [InlineData("Email:PortalBaseUrl", "fgc-returns.example", "Email:PortalBaseUrl must be the portal's absolute http or https address")]
    [InlineData("Email:PortalBaseUrl", "ftp://fgc-returns.example", "Email:PortalBaseUrl must be the portal's absolute http or https address")]
    public void AddEmail_BadSetting_FailsNamingIt(string key, string value, string expected)
    {
        // Arrange
        using var services = Services(s => s.AddEmail(Configuration((key, value)), "/repo"));

        // Act
        var read = () => services.GetRequiredService<IOptions<EmailOptions>>().Value;

        // Assert
        read.ShouldThrow<OptionsValidationException>().Message.ShouldContain(expected);
    }

    [Fact]
    public void AddEmail_NoPickupDirectory_WritesUnderTheRepositorysDataFolder()
    {
        // Arrange
        using var services = Services(s => s.AddEmail(Configuration(("Email:PortalBaseUrl", "https://fgc-returns.example/")), "/repo"));

        // Act
        var options = services.GetRequiredService<EmailOptions>();

        // Assert
        options.PickupDirectory.ShouldBe(Path.Combine("/repo", ".data", "emails"));
        options.LinkBase.ShouldBe("https://fgc-returns.example");
        services.GetRequiredService<IEmailSender>().ShouldBeOfType<EmlFileEmailSender>();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static ServiceProvider Services(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        register(services);
        return services.BuildServiceProvider();
    }
}
