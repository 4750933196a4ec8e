using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>
/// The benchmark services on a fresh copy of the seeded database, without the web host: the real builder,
/// scheduler and reader, with a recording Hangfire client.
/// </summary>
public sealed class BenchmarkTestHost : IAsyncDisposable
{
    public const string SurveyId = "fgc-annual";
    private readonly ServiceProvider provider;

    private BenchmarkTestHost(ServiceProvider provider, string connectionString)
    {
        this.provider = provider;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public RecordingJobClient Jobs => (RecordingJobClient)provider.GetRequiredService<IBackgroundJobClient>();

    public TestClock Clock => (TestClock)provider.GetRequiredService<TimeProvider>();

    public BenchmarkBuilder Builder => provider.GetRequiredService<BenchmarkBuilder>();

    public BenchmarkScheduler Scheduler => provider.GetRequiredService<BenchmarkScheduler>();

    public BenchmarkReader Reader => provider.GetRequiredService<BenchmarkReader>();

    public SurveyDefinitionCatalog Catalog => provider.GetRequiredService<SurveyDefinitionCatalog>();

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public FgcDbContext CreateDb() => provider.GetRequiredService<IDbContextFactory<FgcDbContext>>().CreateDbContext();

    public static async Task<BenchmarkTestHost> StartAsync(TestDatabaseServer server, int threshold = 4, int parallelism = 2)
    {
        var connectionString = await server.CreateDatabaseAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Benchmarks:SuppressionThreshold"] = threshold.ToString(CultureInfo.InvariantCulture),
            ["Benchmarks:BuildParallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
            ["SurveyDefinitions:Path"] = Path.Combine(Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory), "survey-definitions"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new TestClock(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero)));
        services.AddDbContextFactory<FgcDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
        services.AddSingleton<IBackgroundJobClient, RecordingJobClient>();
        services.AddMetrics();
        services.AddBenchmarks(configuration);
        var host = new BenchmarkTestHost(services.BuildServiceProvider(), connectionString);

        // The template may hold demo collections and returns; these tests make their own, in their own copy.
        await host.ExecuteAsync("TRUNCATE collections CASCADE");
        return host;
    }

    /// <summary>Records the definition of a survey version (collections refer to it) if it is not there yet.</summary>
    public async Task EnsureDefinitionAsync(string version)
    {
        await using var db = CreateDb();
        if (!await db.SurveyDefinitions.AnyAsync(d => d.SurveyId == SurveyId && d.Version == version))
        {
            var definition = Catalog.Get(SurveyId, version) ?? throw new InvalidOperationException("No definition " + version);
            db.SurveyDefinitions.Add(new SurveyDefinitionRecord
            {
                SurveyId = SurveyId,
                Version = version,
                ContentHash = definition.ContentHash,
                Status = definition.Status.ToString(),
                Title = definition.Title,
                SourceFile = definition.SourcePath,
                FirstSeenAt = Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>A collection for a financial year starting in <paramref name="startYear"/> (e.g. 2024 is TestData.PreviousPeriod).</summary>
    public async Task<int> AddCollectionAsync(int startYear, string version)
    {
        await EnsureDefinitionAsync(version);
        await using var db = CreateDb();
        var period = string.Create(CultureInfo.InvariantCulture, $"{startYear}-{(startYear + 1) % 100:00}");
        var collection = new Collection
        {
            SurveyId = SurveyId,
            DefinitionVersion = version,
            Period = period,
            PeriodStart = new DateOnly(startYear, 4, 1),
            PeriodEnd = new DateOnly(startYear + 1, 3, 31),
            OpensOn = new DateOnly(startYear + 1, 4, 1),
            Deadline = new DateOnly(startYear + 1, 6, 30),
            Status = CollectionStatus.Closed,
            CreatedAt = Clock.GetUtcNow(),
            Title = "FGC annual return " + period,
        };
        db.Collections.Add(collection);
        await db.SaveChangesAsync();
        return collection.Id;
    }

    public async Task AddReturnsAsync(int collectionId, IEnumerable<(string LaCode, ReturnStatus Status, IReadOnlyDictionary<string, string?> Values)> returns)
    {
        await using var db = CreateDb();
        foreach (var (laCode, status, values) in returns)
        {
            db.Returns.Add(new LaReturn
            {
                CollectionId = collectionId,
                LaCode = laCode,
                Status = status,
                Values = new Dictionary<string, string?>(values),
                SubmittedAt = status is ReturnStatus.Submitted or ReturnStatus.Accepted ? Clock.GetUtcNow() : null,
                AcceptedAt = status == ReturnStatus.Accepted ? Clock.GetUtcNow() : null,
            });
        }

        await db.SaveChangesAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>A Hangfire client that records the jobs it is given instead of storing them.</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    private int next;

    public List<(string Id, Job Job, IState State)> Created { get; } = [];

    public string Create(Job job, IState state)
    {
        var id = Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        lock (Created)
        {
            Created.Add((id, job, state));
        }

        return id;
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
