using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using FgcReturns.Core.Data;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 12's many-circuit harness: hundreds of data leads at once, each with a Blazor Server circuit driven by
/// <see cref="BlazorCircuitClient"/> (no browser) on the real host and a private PostgreSQL. Each opens the
/// referrals section of their return and changes an answer every think time; 2–6 circuits share each return and
/// type into different answers of it. Prints the save round trip (change sent to the render batch showing the save)
/// p50/p95/max, saves per second, circuits that died and why, the server's own timings and CPU, and checks that
/// every circuit's last value is what PostgreSQL holds. Run by hand:
///   dotnet run -c Release --project tests/FgcReturns.Benchmarks -- --only-signalr-circuits [--circuits 500] [--per-return 4] [--saves 20] [--think-ms 1000] [--ramp-ms 20]
/// </summary>
public static class SignalRCircuitLoad
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var circuits = CircuitLoad.Arg(args, "--circuits", 500);
        var perReturn = Math.Max(1, CircuitLoad.Arg(args, "--per-return", 4));
        var saves = CircuitLoad.Arg(args, "--saves", 20);
        var think = TimeSpan.FromMilliseconds(CircuitLoad.Arg(args, "--think-ms", 1000));
        var ramp = TimeSpan.FromMilliseconds(CircuitLoad.Arg(args, "--ramp-ms", 20));
        var repositoryRoot = FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory);
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FGCRETURNS_WEB", Path.Combine(repositoryRoot, "src", "FgcReturns.Web"));

        // The portal runs with server GC (the Web SDK's default); run with DOTNET_gcServer=1 to match it.
        Console.WriteLine($"SignalR circuit load: {circuits} circuits, {perReturn} per return, {saves} saves each, think {think.TotalMilliseconds:0} ms, a circuit every {ramp.TotalMilliseconds:0} ms ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)");
        await using var server = await TestDatabaseServer.StartAsync();
        await using var portal = new FgcWebFactory(await server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            // Every harness client signs in from 127.0.0.1; the per-address limit is for the internet, not this run.
            ["SignInRateLimits:PerClient"] = "100000",
            ["SurveyDefinitions:Path"] = Path.Combine(repositoryRoot, "survey-definitions"),
        });
        portal.StartKestrel();
        var baseAddress = portal.ServerAddress;
        var leads = await CircuitLoad.CreateLeadsAsync(portal, (circuits + perReturn - 1) / perReturn);
        var sessions = new List<CookieContainer>();
        foreach (var lead in leads)
        {
            sessions.Add(await BlazorCircuitClient.SignInAsync(baseAddress, lead.Email, SignInExtensions.DemoPassword));
        }

        Console.WriteLine($"{leads.Count} data leads signed in; {circuits} circuits on {Math.Min(leads.Count, circuits)} returns.");

        var serverTimings = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
        using var listener = ListenToServerDurations(serverTimings);
        var efEvents = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var efSubscription = DiagnosticListener.AllListeners.Subscribe(new EfEventCounter(efEvents));

        var open = new ConcurrentBag<double>();
        var roundTrips = new ConcurrentBag<(double At, double Ms)>();
        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var deaths = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var lastSaved = new ConcurrentDictionary<(int ReturnId, string InputId), string>();

        // Values sent whose save the circuit did not see (it died first): the server may still have stored them.
        var unconfirmed = new ConcurrentDictionary<(int ReturnId, string InputId), ConcurrentBag<string>>();
        var lastOpenedAt = 0L;
        var openNow = 0;
        var peakOpen = 0;
        var completed = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = GC.CollectionCount(2);
        var pauseBefore = GC.GetTotalPauseDuration();
        var wall = Stopwatch.StartNew();

        // Samples of (time, process CPU, DB commands, saves done), so the cost per save can be read once every circuit is open.
        var samples = new ConcurrentQueue<(double At, TimeSpan Cpu, TimeSpan PostgresCpu, int Commands, int Saves)>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                samples.Enqueue((wall.Elapsed.TotalSeconds, Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu(server.Cluster.DataDirectory),
                    serverTimings.TryGetValue("db.client.operation.duration", out var c) ? c.Count : 0, roundTrips.Count));
                await Task.Delay(250, CancellationToken.None);
            }
        });
        var tasks = Enumerable.Range(0, circuits).Select(async i =>
        {
            // People arrive over a while rather than in one millisecond.
            await Task.Delay(ramp * i);
            var lead = i / perReturn % leads.Count;
            var returnId = leads[lead].ReturnId;
            BlazorCircuitClient? client = null;
            try
            {
                var watch = Stopwatch.StartNew();
                client = await BlazorCircuitClient.OpenAsync(baseAddress, sessions[lead], $"/returns/{returnId}/sections/referrals", StepTimeout);
                open.Add(watch.Elapsed.TotalMilliseconds);
                InterlockedMax(ref lastOpenedAt, wall.ElapsedTicks);
                var now = Interlocked.Increment(ref openNow);
                InterlockedMax(ref peakOpen, now);

                // Circuits on the same return type into different answers: each keeps to its own field.
                var inputs = client.Inputs;
                var input = inputs[i % perReturn % inputs.Count];
                var random = new Random(i);
                for (var n = 0; n < saves; n++)
                {
                    // A little jitter, so that circuits that opened together do not stay in lockstep.
                    await Task.Delay(think + TimeSpan.FromMilliseconds(random.Next(0, 100)));
                    var value = random.Next(1, 5000).ToString(CultureInfo.InvariantCulture);
                    unconfirmed.GetOrAdd((returnId, input), _ => []).Add(value);
                    var sentAt = wall.Elapsed.TotalSeconds;
                    var elapsed = await client.ChangeAsync(input, value, StepTimeout);
                    roundTrips.Add((sentAt, elapsed.TotalMilliseconds));
                    // Numbers vary with the random values typed: group the statuses without them.
                    var status = System.Text.RegularExpressions.Regex.Replace(client.SaveStatus.Length > 70 ? client.SaveStatus[..70] + "…" : client.SaveStatus, "[0-9][0-9,]*", "#");
                    statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                    if (status.StartsWith("Saved", StringComparison.Ordinal))
                    {
                        lastSaved[(returnId, input)] = value;
                        unconfirmed[(returnId, input)] = [];
                    }
                }

                Interlocked.Increment(ref completed);
            }
            catch (Exception ex) when (ex is CircuitDiedException or InvalidOperationException or HttpRequestException or TimeoutException or OperationCanceledException or IOException)
            {
                // JS.Error or a closed connection is a dead circuit; a missing render within 30 s counts as dead too.
                var why = client?.Error ?? ex.GetType().Name + ": " + ex.Message;
                deaths.AddOrUpdate(why.Length > 140 ? why[..140] + "…" : why, 1, (_, c) => c + 1);
            }
            finally
            {
                if (client is not null)
                {
                    Interlocked.Decrement(ref openNow);
                    await client.DisposeAsync();
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        await sampling.CancelAsync();
        await sampler;
        wall.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        var trips = roundTrips.OrderBy(t => t.At).ToList();
        var sorted = trips.Select(t => t.Ms).Order().ToList();
        var openSorted = open.Order().ToList();
        Console.WriteLine();
        Console.WriteLine("| Step | Count | p50 ms | p95 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("open a circuit (GET page + start circuit + first render)", openSorted);
        Row("save round trip (change sent -> render showing the save)", sorted);

        // Page opens (prerender, then the interactive render) are far heavier than saves: the saves once every circuit is open.
        var allOpen = Volatile.Read(ref lastOpenedAt) / (double)Stopwatch.Frequency;
        Row(string.Create(CultureInfo.InvariantCulture, $"… of which sent after every circuit was open ({allOpen:0} s on)"), trips.Where(t => t.At >= allOpen).Select(t => t.Ms).Order().ToList());
        foreach (var (name, bag) in serverTimings.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Row("server: " + name, bag.Order().ToList());
        }

        // Saves per second while every circuit was open and typing: the busiest stretch, not the ramp.
        var steady = trips.Count > 10 ? trips[(trips.Count / 10)..(trips.Count * 9 / 10)] : trips;
        var rate = steady.Count > 1 ? steady.Count / (steady[^1].At - steady[0].At) : 0;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Circuits: {circuits} started, {completed} completed every save, {deaths.Values.Sum()} died; at most {peakOpen} open at once. Wall time {wall.Elapsed.TotalSeconds:0.0} s."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saves: {trips.Count}, {rate:0.0} saves/s over the middle 80% of them; CPU {cpu.TotalSeconds:0.0} s over {wall.Elapsed.TotalSeconds:0.0} s = {cpu.TotalSeconds / wall.Elapsed.TotalSeconds:0.00} of {Environment.ProcessorCount} cores (server, client and harness in one process; PostgreSQL apart)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC: {GC.CollectionCount(2) - gcBefore} gen-2 collections, {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:0} ms paused; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB."));
        Console.WriteLine(PerSave(samples.ToList(), allOpen));
        Console.WriteLine("Status after each save: " + string.Join("; ", statuses.OrderByDescending(s => s.Value).Select(s => $"\"{s.Key}\" × {s.Value}")));
        var events = serverTimings.TryGetValue("aspnetcore.components.handle_event.duration", out var handled) ? handled.Count : 0;
        var commands = serverTimings.TryGetValue("db.client.operation.duration", out var ops) ? ops.Count : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Database: {commands} commands for {events} events and {circuits} page opens; {efEvents.GetValueOrDefault("SaveChangesCompleted")} SaveChanges committed, {efEvents.GetValueOrDefault("OptimisticConcurrencyException")} refused by the row version (each retried by the save)."));
        Console.WriteLine(deaths.IsEmpty ? "Dead circuits: none." : "Dead circuits: " + string.Join("; ", deaths.Select(d => $"{d.Key} × {d.Value}")));
        Console.WriteLine(await CheckStoredAsync(portal, lastSaved, unconfirmed));
        return 0;
    }

    /// <summary>Each circuit's last saved value must be what PostgreSQL holds: nothing silently lost.</summary>
    private static async Task<string> CheckStoredAsync(FgcWebFactory portal, ConcurrentDictionary<(int ReturnId, string InputId), string> lastSaved, ConcurrentDictionary<(int ReturnId, string InputId), ConcurrentBag<string>> unconfirmed)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
        var ids = lastSaved.Keys.Select(k => k.ReturnId).Distinct().ToList();
        var stored = await db.Returns.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Values);
        string? Stored((int ReturnId, string InputId) answer) =>
            stored[answer.ReturnId].FirstOrDefault(v => v.Key.Replace('.', '-') == answer.InputId).Value;

        // The last value the page said was saved, or one typed after it that the server stored after the circuit stopped waiting.
        var lost = lastSaved.Where(s => Stored(s.Key) is var value && value != s.Value
            && !(unconfirmed.TryGetValue(s.Key, out var later) && later.Contains(value ?? ""))).ToList();
        var laterStored = lastSaved.Count(s => Stored(s.Key) != s.Value) - lost.Count;
        return lost.Count == 0
            ? $"Stored: all {lastSaved.Count} answers hold their last saved value in PostgreSQL ({laterStored} a value sent later by a circuit that stopped waiting)."
            : $"LOST: {lost.Count} of {lastSaved.Count} answers hold neither their last saved value nor a later one, e.g. return {lost[0].Key.ReturnId} #{lost[0].Key.InputId} = {lost[0].Value}, stored {Stored(lost[0].Key)}.";
    }

    /// <summary>CPU and DB commands per save from the moment every circuit was open: saves only, no page opens.</summary>
    private static string PerSave(List<(double At, TimeSpan Cpu, TimeSpan PostgresCpu, int Commands, int Saves)> samples, double allOpen)
    {
        var window = samples.Where(s => s.At >= allOpen).ToList();
        if (window.Count < 2 || window[^1].Saves == window[0].Saves)
        {
            return "Per save once every circuit was open: too few samples.";
        }

        var (first, last) = (window[0], window[^1]);
        var saves = last.Saves - first.Saves;
        var seconds = last.At - first.At;
        return string.Create(CultureInfo.InvariantCulture,
            $"Per save once every circuit was open ({saves} saves over {seconds:0.0} s, {saves / seconds:0.0} saves/s): {(last.Cpu - first.Cpu).TotalMilliseconds / saves:0.00} ms CPU of this process (server and clients) and {(last.PostgresCpu - first.PostgresCpu).TotalMilliseconds / saves:0.00} ms of PostgreSQL's, {(last.Commands - first.Commands) / (double)saves:0.00} DB commands; {(last.Cpu - first.Cpu).TotalSeconds / seconds:0.00} + {(last.PostgresCpu - first.PostgresCpu).TotalSeconds / seconds:0.00} cores busy.");
    }

    /// <summary>CPU of the private PostgreSQL: the postmaster, its live backends and the backends it has reaped (Linux /proc).</summary>
    private static TimeSpan PostgresCpu(string dataDirectory)
    {
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            long ticks = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue;
                }

                // Fields after the command's closing parenthesis: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based over the whole line.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ppid = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == postmaster || ppid == postmaster)
                {
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    if (pid == postmaster)
                    {
                        ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                    }
                }
            }

            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }

    private static MeterListener ListenToServerDurations(ConcurrentDictionary<string, ConcurrentBag<double>> timings)
    {
        // The server's own view, without the client's: Blazor's event and render durations, and Npgsql's commands.
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                var meter = instrument.Meter.Name;
                if ((meter.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal) || meter.StartsWith("Npgsql", StringComparison.Ordinal))
                    && instrument.Name.EndsWith("duration", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => timings.GetOrAdd(instrument.Name, _ => []).Add(instrument.Unit == "ms" ? value : value * 1000));
        listener.Start();
        return listener;
    }

    /// <summary>Counts EF Core's save and row-version events (its DiagnosticListener), to see how often saves collide.</summary>
    private sealed class EfEventCounter(ConcurrentDictionary<string, int> counts) : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.EntityFrameworkCore")
            {
                value.Subscribe(this, name => name.EndsWith(".OptimisticConcurrencyException", StringComparison.Ordinal) || name.EndsWith(".SaveChangesCompleted", StringComparison.Ordinal));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value) => counts.AddOrUpdate(value.Key[(value.Key.LastIndexOf('.') + 1)..], 1, (_, c) => c + 1);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private static void Row(string step, List<double> sorted) =>
        Console.WriteLine(sorted.Count == 0
            ? $"| {step} | 0 | | | | |"
            : string.Create(CultureInfo.InvariantCulture, $"| {step} | {sorted.Count} | {CircuitLoad.Percentile(sorted, 0.50):0.0} | {CircuitLoad.Percentile(sorted, 0.95):0.0} | {CircuitLoad.Percentile(sorted, 0.99):0.0} | {sorted[^1]:0.0} |"));

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
