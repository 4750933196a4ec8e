using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;

[assembly: AssemblyFixture(typeof(DatabaseServerFixture))]

namespace FgcReturns.IntegrationTests;

/// <summary>One private PostgreSQL cluster for the whole test assembly.</summary>
public sealed class DatabaseServerFixture : IAsyncLifetime
{
    private TestDatabaseServer? server;

    public TestDatabaseServer Server => server ?? throw new InvalidOperationException("The database server has not started.");

    public async ValueTask InitializeAsync() => server = await TestDatabaseServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>The web host on a fresh copy of the seeded database, shared by one test class.</summary>
public sealed class WebAppFixture(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory? factory;

    public FgcWebFactory Factory => factory ?? throw new InvalidOperationException("The web host has not started.");

    public TestDatabaseServer Server => database.Server;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        _ = factory.Services;
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }
}
