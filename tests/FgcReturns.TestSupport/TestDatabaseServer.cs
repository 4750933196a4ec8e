using System.Globalization;
using FgcReturns.Core.Postgres;
using Npgsql;

namespace FgcReturns.TestSupport;

/// <summary>
/// One private PostgreSQL cluster per test run, with a migrated and seeded template database;
/// each test class gets its own copy of the template (about 100 ms).
/// </summary>
public sealed class TestDatabaseServer : IAsyncDisposable
{
    public const string TemplateDatabase = "fgc_template";
    private static int databaseCounter;
    private readonly PrivatePostgresCluster cluster;
    private readonly string directory;

    private TestDatabaseServer(PrivatePostgresCluster cluster, string directory)
    {
        this.cluster = cluster;
        this.directory = directory;
    }

    public PrivatePostgresCluster Cluster => cluster;

    public static async Task<TestDatabaseServer> StartAsync()
    {
        // Under /tmp, which the postgres user can reach when tests run as root.
        var directory = Path.Combine(Path.GetTempPath(), "fgc-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        if (Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var cluster = PrivatePostgresCluster.StartOrReuse(Path.Combine(directory, "data"), forTests: true);
        var server = new TestDatabaseServer(cluster, directory);
        try
        {
            await server.ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
            await using (var app = new FgcWebFactory(cluster.ConnectionString(TemplateDatabase), migrate: true))
            {
                // Starting the host migrates the template and seeds reference data and roles; the tests' own data follows.
                await TestData.SeedBaselineAsync(app.Services);
            }

            NpgsqlConnection.ClearAllPools();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh database cloned from the migrated, seeded template.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"fgc_test_{Interlocked.Increment(ref databaseCounter)}");
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateDatabase} STRATEGY FILE_COPY");
        return cluster.ConnectionString(name);
    }

    public async Task ExecuteAsync(string sql)
    {
        // No pooling: a pooled idle connection to the template would block cloning it.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        cluster.Stop();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }

        await Task.CompletedTask;
    }
}
