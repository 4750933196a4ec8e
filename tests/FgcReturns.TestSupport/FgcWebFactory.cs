using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.TestSupport;

/// <summary>
/// The real web host on a real PostgreSQL database; optionally on a real Kestrel port for browsers.
/// <paramref name="settings"/> are applied after the defaults, so they can override them (e.g. Email:PickupDirectory).
/// </summary>
public sealed class FgcWebFactory(string connectionString, bool migrate = false, TestClock? clock = null, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    public TestClock Clock { get; } = clock ?? new TestClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The address browsers use when hosted on Kestrel.</summary>
    public Uri ServerAddress
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    public void StartKestrel()
    {
        UseKestrel(0);
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development so static web assets (blazor.web.js) are served from the build output.
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Fgc", ConnectionString);
        builder.UseSetting("Database:ApplyMigrations", migrate ? "true" : "false");
        // Tests stand on their own data (TestData's baseline in the template), never on the demo seed.
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Jobs:ServerEnabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public HttpClient CreateBrowserlessClient(bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = followRedirects, HandleCookies = true });
}
