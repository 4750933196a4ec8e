using System.Diagnostics;
using System.Globalization;
using FgcReturns.Benchmarks;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Exports;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Timed harness for the benchmark build and exports. Run by hand:
//   dotnet run -c Release --project tests/FgcReturns.Benchmarks [-- --years 10 --runs 3 --no-naive --no-exports]
// --parallelism N sets the build's partitions (default: one per core, at most 4).
// --no-returns leaves out the LA return timings (validation and save); --only-returns runs only those.
// --no-peer leaves out issue 14's timings (the "where you would sit" panel, the peer rules' cost).
// --only-intake runs only issue 15's timings (PATCH through the submission API; a 5,000-row tracker).
// --only-signalr-circuits runs only issue 12's 500-circuit harness (a raw Blazor SignalR client; see SignalRCircuitLoad.cs).
// --only-uploads runs only issue 12's upload timing (a CSV of bad lines read at growing lengths: linear time).
// Starts a private PostgreSQL cluster (as the integration tests do), generates synthetic accepted returns for
// every LA and year with the full item set, and prints the timings as a markdown table.
if (args.Contains("--only-signalr-circuits"))
{
    // Issue 12: 500 Blazor circuits editing at once, driven by a raw SignalR client (SignalRCircuitLoad.cs).
    return await SignalRCircuitLoad.RunAsync(args);
}

if (args.Contains("--only-circuits"))
{
    // Issue 12: many Blazor circuits editing at once (CircuitLoad.cs).
    return await CircuitLoad.RunAsync(args);
}

if (args.Contains("--only-disclosure"))
{
    return DisclosureTimings.Run(FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory), args);
}

if (args.Contains("--only-uploads"))
{
    return UploadTimings.Run(FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory));
}

var years = Arg("--years", 10);
var runs = Arg("--runs", 3);
var naive = !args.Contains("--no-naive");
var exportsToo = !args.Contains("--no-exports");
const string SurveyId = "fgc-annual";

var repositoryRoot = FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory);

// The web host (used once to migrate and seed the template database) finds its content root from here under dotnet run.
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FGCRETURNS_WEB", Path.Combine(repositoryRoot, "src", "FgcReturns.Web"));
Console.WriteLine($"Starting a private PostgreSQL cluster... ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
await using var server = await TestDatabaseServer.StartAsync();
var connectionString = await server.CreateDatabaseAsync();
await using (var clear = new NpgsqlConnection(connectionString))
{
    // The template may hold demo collections; the harness makes its own.
    await clear.OpenAsync();
    await using var truncate = new NpgsqlCommand("TRUNCATE collections CASCADE", clear);
    await truncate.ExecuteNonQueryAsync();
}

if (args.Contains("--explain"))
{
    // Query plans of slow statements go to the cluster's server.log (copied to the working folder at the end).
    var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
    await server.ExecuteAsync($"ALTER DATABASE {database} SET session_preload_libraries = 'auto_explain'");
    await server.ExecuteAsync($"ALTER DATABASE {database} SET auto_explain.log_min_duration = 150");
    await server.ExecuteAsync($"ALTER DATABASE {database} SET auto_explain.log_analyze = on");
    await server.ExecuteAsync($"ALTER DATABASE {database} SET auto_explain.log_nested_statements = on");
}

var settings = new Dictionary<string, string?>
{
    ["SurveyDefinitions:Path"] = Path.Combine(repositoryRoot, "survey-definitions"),
};
if (args.Contains("--parallelism"))
{
    settings["Benchmarks:BuildParallelism"] = Arg("--parallelism", 1).ToString(CultureInfo.InvariantCulture);
}

var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(TimeProvider.System);
services.AddDbContextFactory<FgcDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
services.AddSingleton<IBackgroundJobClient>(_ => throw new InvalidOperationException("No jobs in the harness."));
services.AddMetrics();
services.AddSingleton<FgcReturns.Core.Telemetry.FgcMetrics>();
services.AddBenchmarks(configuration);
await using var provider = services.BuildServiceProvider();
var factory = provider.GetRequiredService<IDbContextFactory<FgcDbContext>>();
var catalog = provider.GetRequiredService<SurveyDefinitionCatalog>();
var builder = provider.GetRequiredService<BenchmarkBuilder>();
var exports = provider.GetRequiredService<BenchmarkExports>();
var results = new List<(string Measure, string Figure)>();
if (args.Contains("--only-intake"))
{
    // Issue 15: the submission API's PATCH and the case-level tracker.
    results.AddRange(await IntakeTimings.PatchAsync(server, 200));
    results.AddRange(IntakeTimings.Tracker(catalog, 5000, 5));
    Print(results);
    return 0;
}

if (args.Contains("--only-returns"))
{
    results.AddRange(ReturnTimings.Validation(catalog, 1000));
    results.AddRange(await ReturnTimings.SaveAsync(server, 200));
    Print(results);
    return 0;
}

// Synthetic data: 10 years x 153 LAs, every numeric item and grid cell, with small counts and not recorded values.
var generate = Stopwatch.StartNew();
var lastYear = 2025;
var rng = new Random(42);
List<string> las;
await using (var db = await factory.CreateDbContextAsync())
{
    las = await db.LocalAuthorities.Select(l => l.Code).OrderBy(c => c).ToListAsync();
    foreach (var version in new[] { "1.0", "1.1" })
    {
        var d = catalog.Get(SurveyId, version)!;
        if (await db.SurveyDefinitions.AnyAsync(x => x.SurveyId == SurveyId && x.Version == version))
        {
            continue;
        }

        db.SurveyDefinitions.Add(new SurveyDefinitionRecord { SurveyId = SurveyId, Version = version, ContentHash = d.ContentHash, Status = d.Status.ToString(), Title = d.Title, SourceFile = d.SourcePath });
    }

    await db.SaveChangesAsync();
    for (var year = lastYear - years + 1; year <= lastYear; year++)
    {
        var version = year == lastYear ? "1.1" : "1.0";
        var definition = catalog.Get(SurveyId, version)!;
        var collection = new Collection
        {
            SurveyId = SurveyId,
            DefinitionVersion = version,
            Period = string.Create(CultureInfo.InvariantCulture, $"{year}-{(year + 1) % 100:00}"),
            PeriodStart = new DateOnly(year, 4, 1),
            PeriodEnd = new DateOnly(year + 1, 3, 31),
            OpensOn = new DateOnly(year + 1, 4, 1),
            Deadline = new DateOnly(year + 1, 6, 30),
            Status = CollectionStatus.Closed,
            Title = "FGC " + year.ToString(CultureInfo.InvariantCulture),
        };
        db.Collections.Add(collection);
        await db.SaveChangesAsync();
        db.Returns.AddRange(las.Select(la => new LaReturn
        {
            CollectionId = collection.Id,
            LaCode = la,
            Status = ReturnStatus.Accepted,
            Values = Synthetic.Values(rng, definition),
            SubmittedAt = DateTimeOffset.UtcNow,
            AcceptedAt = DateTimeOffset.UtcNow,
        }));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
}

Console.WriteLine($"Generated {years} years x {las.Count} LAs in {generate.ElapsedMilliseconds} ms.");

// 1. Full build (all years), a few runs, cold: no collection takes an earlier build's disclosure flags.
var benchmarkOptions = provider.GetRequiredService<BenchmarkOptions>();
benchmarkOptions.ReuseUnchangedDisclosure = false;
var full = new List<double>();
var disclosure = new List<double>();
BenchmarkBuildResult last = default!;
for (var i = 0; i < runs; i++)
{
    last = await builder.BuildAsync(SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand);
    if (last.Outcome != BuildOutcome.Succeeded)
    {
        throw new InvalidOperationException("Build failed: " + last.Error);
    }

    full.Add(last.Duration.TotalMilliseconds);
    disclosure.Add(DisclosureMs(last));
    Console.WriteLine("Build steps (ms): " + string.Join(", ", last.Steps.Select(x => $"{x.Step} {x.Milliseconds}")));
}

// 1b. The same build again with reuse on and nothing changed (what a nightly rebuild does): every collection takes
// the flags of the last build above, whose inputs are the same.
benchmarkOptions.ReuseUnchangedDisclosure = true;
var rebuild = new List<double>();
var rebuildDisclosure = new List<double>();
for (var i = 0; i < runs; i++)
{
    var again = last = await builder.BuildAsync(SurveyId, BenchmarkKind.Final, BenchmarkTrigger.Nightly);
    if (again.Outcome != BuildOutcome.Succeeded)
    {
        throw new InvalidOperationException("Rebuild failed: " + again.Error);
    }

    rebuild.Add(again.Duration.TotalMilliseconds);
    rebuildDisclosure.Add(DisclosureMs(again));
    Console.WriteLine("Rebuild steps (ms): " + string.Join(", ", again.Steps.Select(x => $"{x.Step} {x.Milliseconds}")));
}

BenchmarkBuild record;
await using (var db = await factory.CreateDbContextAsync())
{
    record = await db.Set<BenchmarkBuild>().SingleAsync(b => b.Id == last.BuildId);
}

results.Add(("Full build, all years (ms; min / median of " + runs.ToString(CultureInfo.InvariantCulture) + ")", $"{full.Min():F0} / {Median(full):F0}"));
results.Add(("Of which disclosure control: read, secondary suppression, write, audit (ms; min / median)", $"{disclosure.Min():F0} / {Median(disclosure):F0}"));
results.Add(("Disclosure control added to the build without it (median)", $"{Median(disclosure) / (Median(full) - Median(disclosure)) * 100:F0}%"));
results.Add(("Rebuild, nothing changed, disclosure reused (ms; min / median of " + runs.ToString(CultureInfo.InvariantCulture) + ")", $"{rebuild.Min():F0} / {Median(rebuild):F0}"));
// Against the cold builds' time without disclosure control: taking the flags with the rows (a join in the partitions'
// inserts) costs time inside the partitions, which the disclosure steps alone would not show.
results.Add(("Of which disclosure steps (ms; min / median); the rebuild's median over the cold builds' median without disclosure control",
    $"{rebuildDisclosure.Min():F0} / {Median(rebuildDisclosure):F0}; {(Median(rebuild) / (Median(full) - Median(disclosure)) - 1) * 100:F0}%"));
await using (var db = await factory.CreateDbContextAsync())
{
    // What disclosure control hid in the last build (a rebuild, whose flags came from the cold builds'): primary
    // (small counts and rates of them) and secondary.
    var laRows = db.Set<BenchmarkLaValue>().Where(v => v.BuildId == last.BuildId);
    var withValue = await laRows.CountAsync(v => v.State == ValueState.Value);
    var primary = await laRows.CountAsync(v => v.Small);
    var secondary = await laRows.CountAsync(v => v.Suppressed && !v.Small);
    var areas = await db.Set<BenchmarkAreaValue>().CountAsync(a => a.BuildId == last.BuildId && a.SuppressedStatistics != SuppressedStatistics.None);
    results.Add(("LA values hidden in the last build: primary / secondary (of LA values with a number)",
        string.Create(CultureInfo.InvariantCulture, $"{primary:N0} / {secondary:N0} ({(double)secondary / withValue:P1}) of {withValue:N0}; {areas:N0} area rows with a statistic suppressed")));
}

results.Add(("Rows written per build", $"{record.MeasureCount:N0} measures, {record.LaRowCount:N0} LA rows, {record.AreaRowCount:N0} area rows from {record.ReturnCount:N0} returns"));

if (args.Contains("--hold"))
{
    // For trying statements by hand (psql) against the generated data and the builds: the cluster lives until Enter.
    Console.WriteLine("Holding: " + connectionString + " (press Enter to go on)");
    Console.ReadLine();
}

// Issue 14: the "where you would sit" panel and the peer rules, with this build in place (--no-peer leaves them out).
if (!args.Contains("--no-peer"))
{
    results.AddRange(await PeerTimings.RunAsync(factory, catalog, 200));
}

// 2. One LA's return changes, then the build runs again.
await using (var connection = new NpgsqlConnection(connectionString))
{
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("""
        UPDATE returns SET "values" = jsonb_set("values", '{referrals_children}', to_jsonb('999'::text))
        WHERE la_code = '887' AND collection_id = (SELECT max(id) FROM collections)
        """, connection);
    await command.ExecuteNonQueryAsync();
}

var after = await builder.BuildAsync(SurveyId, BenchmarkKind.Final, BenchmarkTrigger.Acceptance);
Console.WriteLine("Build steps after one change (ms): " + string.Join(", ", after.Steps.Select(x => $"{x.Step} {x.Milliseconds}")));
results.Add(("Build after one LA's return changes (ms; of which disclosure control, re-protecting that year only; added)",
    $"{after.Duration.TotalMilliseconds:F0}; {DisclosureMs(after):F0}; {DisclosureMs(after) / (after.Duration.TotalMilliseconds - DisclosureMs(after)) * 100:F0}%"));

// 3. Exports: time and memory.
foreach (var (name, make) in !exportsToo ? [] : new (string, Func<Task<ExportFile?>>)[]
{
    ("National workbook, unsuppressed", () => exports.NationalWorkbookAsync(SurveyId, BenchmarkKind.Final, DisclosureView.Unsuppressed)),
    ("National workbook, suppressed", () => exports.NationalWorkbookAsync(SurveyId, BenchmarkKind.Final, DisclosureView.Suppressed)),
    ("LA workbook (Medway)", () => exports.LaWorkbookAsync(SurveyId, TestData.Medway)),
    ("Open data CSV (all years, all LAs)", () => exports.OpenDataAsync(SurveyId, metadata: false)),
})
{
    await make(); // warm-up
    var times = new List<double>();
    long allocated = 0;
    var size = 0;
    for (var i = 0; i < runs; i++)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var file = await make();
        times.Add(watch.Elapsed.TotalMilliseconds);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        size = file!.Content.Length;
    }

    results.Add(($"{name} (ms; min / median)", $"{times.Min():F0} / {Median(times):F0}; {size / 1024.0:F0} KB; {allocated / 1048576.0:F0} MB allocated"));
}

results.Add(("Peak working set of the harness process", $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB"));

// 4. The same build done naively: load returns into C#, compute with LINQ, save with EF.
if (naive)
{
    var watch = Stopwatch.StartNew();
    var rows = await NaiveBuild.RunAsync(factory, catalog, SurveyId);
    var naiveMs = watch.Elapsed.TotalMilliseconds;
    results.Add(("Naive build: EF load + LINQ + EF save (ms)", $"{naiveMs:F0} ({rows:N0} rows)"));
    results.Add(("Set-based build speed-up over naive", $"{naiveMs / Median(full):F1}x"));
}

// 5. Issue 4: one LA return, validated and saved.
if (!args.Contains("--no-returns"))
{
    results.AddRange(ReturnTimings.Validation(catalog, 1000));
    results.AddRange(await ReturnTimings.SaveAsync(server, 200));
    results.AddRange(await IntakeTimings.PatchAsync(server, 200));
    results.AddRange(IntakeTimings.Tracker(catalog, 5000, 5));
}

Print(results);

if (args.Contains("--explain"))
{
    // This run's own cluster log (other processes may run clusters of their own under /tmp).
    File.Copy(Path.Combine(server.Cluster.DataDirectory, "server.log"), "benchmark-explain.log", overwrite: true);
    Console.WriteLine("Query plans: benchmark-explain.log");
}

return 0;

static void Print(List<(string Measure, string Figure)> results)
{
    Console.WriteLine();
    Console.WriteLine("| Measure | Figure |");
    Console.WriteLine("|---|---|");
    foreach (var (measure, figure) in results)
    {
        Console.WriteLine($"| {measure} | {figure} |");
    }
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static double DisclosureMs(BenchmarkBuildResult build) =>
    build.Steps.Where(x => x.Step.StartsWith("Disclosure", StringComparison.Ordinal) || x.Step == "Secondary suppression").Sum(x => (double)x.Milliseconds);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
