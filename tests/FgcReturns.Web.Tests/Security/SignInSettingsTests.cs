using FgcReturns.Web.Security;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FgcReturns.Web.Tests.Security;

public class SignInSettingsTests
{
    [Fact]
    public void AddDfeSignIn_NoProviderAndNoLocalPasswords_FailsSayingNobodyCouldSignIn()
    {
        // Arrange
        using var services = Services(("Authentication:LocalPasswords", "false"));

        // Act
        var read = () => services.GetRequiredService<SignInSettings>();

        // Assert
        read.ShouldThrow<OptionsValidationException>().Message
            .ShouldContain("Authentication:LocalPasswords is false but no Authentication:Oidc:Authority is set: nobody could sign in.");
    }

    [Fact]
    public void AddDfeSignIn_ProviderWithoutClientId_FailsNamingTheSetting()
    {
        // Arrange
        using var services = Services(("Authentication:Oidc:Authority", "https://signin.example"));

        // Act
        var read = () => services.GetRequiredService<SignInSettings>();

        // Assert
        read.ShouldThrow<OptionsValidationException>().Message
            .ShouldContain("Authentication:Oidc:ClientId must be set when Authentication:Oidc:Authority is.");
    }

    [Fact]
    public void AddDfeSignIn_Provider_ConfiguresTheHandlerFromTheSettings()
    {
        // Arrange
        using var services = Services(
            ("Authentication:Oidc:Authority", "https://signin.example"),
            ("Authentication:Oidc:ClientId", "fgc-returns"),
            ("Authentication:Oidc:Scopes", "email, organisation"));

        // Act
        var handler = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(DfeSignIn.Scheme);

        // Assert
        handler.Authority.ShouldBe("https://signin.example");
        handler.ClientId.ShouldBe("fgc-returns");
        handler.UsePkce.ShouldBeTrue();
        handler.Scope.ShouldBe(["email", "organisation", "openid"], ignoreOrder: true);
        services.GetRequiredService<SignInSettings>().OidcEnabled.ShouldBeTrue();
    }

    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
        services.AddAuthentication().AddDfeSignIn(configuration);
        return services.BuildServiceProvider();
    }
}
