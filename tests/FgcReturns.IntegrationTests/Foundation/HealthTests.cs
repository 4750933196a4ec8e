using System.Net;
using FgcReturns.TestSupport;
using Npgsql;

namespace FgcReturns.IntegrationTests.Foundation;

public sealed class HealthTests(DatabaseServerFixture database)
{
    [Fact]
    public async Task Ready_DatabaseUp_IsHealthy()
    {
        // Arrange
        await using var factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        var client = factory.CreateBrowserlessClient();

        // Act
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_DatabaseDown_IsUnhealthyWhileLiveStaysUp()
    {
        // Arrange
        var connectionString = await database.Server.CreateDatabaseAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var factory = new FgcWebFactory(connectionString);
        var client = factory.CreateBrowserlessClient();
        await database.Server.ExecuteAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        await database.Server.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
        NpgsqlConnection.ClearAllPools();

        // Act
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
