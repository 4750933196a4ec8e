using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FgcReturns.TestSupport;

/// <summary>
/// The portal as a real operating-system process (a web instance or a worker) built alongside the tests, on a
/// loopback port, so tests can run several against one database and stop and start them.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> output = new();
    private readonly ProcessStartInfo startInfo;
    private Process? process;

    private PortalProcess(string name, ProcessStartInfo startInfo, Uri address)
    {
        Name = name;
        this.startInfo = startInfo;
        Address = address;
    }

    public string Name { get; }

    public Uri Address { get; }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Everything the process wrote to stdout and stderr, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>A web instance (FgcReturns.Web) that only enqueues jobs (Jobs__ServerEnabled=false).</summary>
    public static PortalProcess Web(string name, string connectionString, IDictionary<string, string?>? settings = null) =>
        Create(name, "FgcReturns.Web", [], connectionString, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Jobs__ServerEnabled"] = "false",
            ["Demo__Seed"] = "false",
        });

    /// <summary>A worker (<c>fgc worker</c>): the job server only, with /health/ready.</summary>
    public static PortalProcess Worker(string name, string connectionString, IDictionary<string, string?>? settings = null) =>
        Create(name, "FgcReturns.Cli", ["worker"], connectionString, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Demo__Seed"] = "false",
        });

    /// <summary>
    /// A web instance with no connection string, in Development, so it starts (or reuses) its own private PostgreSQL
    /// cluster in <paramref name="clusterPath"/>, as a developer's first run does.
    /// </summary>
    public static PortalProcess WebOnPrivateCluster(string name, string clusterPath, IDictionary<string, string?>? settings = null) =>
        Create(name, "FgcReturns.Web", [], null, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Database__PrivateClusterPath"] = clusterPath,
            ["Database__ApplyMigrations"] = "true",
            ["Jobs__ServerEnabled"] = "false",
            ["Demo__Seed"] = "true",
        });

    private static PortalProcess Create(string name, string project, string[] args, string? connectionString, IDictionary<string, string?> settings)
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(root, "src", project, "bin", configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first: {dll} is missing.", dll);
        }

        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort()}"));
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Development: static web assets from the build output, as for the in-process test hosts.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        info.Environment["Database__ApplyMigrations"] = "false";
        if (connectionString is not null)
        {
            info.Environment["ConnectionStrings__Fgc"] = connectionString;
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        info.Environment["Logging__LogLevel__FgcReturns.Core.Benchmarks"] = "Information";
        info.Environment["Logging__LogLevel__FgcReturns.Core.Jobs"] = "Information";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        return new PortalProcess(name, info, address);
    }

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} while starting:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Address, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} was not ready within the time allowed:{Environment.NewLine}{Output}");
    }

    /// <summary>Stops the process as an orchestrator would (SIGTERM, then a kill if it has not exited in time).</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process is null || process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the process outright (SIGKILL), as a crash or an out-of-memory kill would.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The exit code once the process has exited.</summary>
    public int? ExitCode => process is { HasExited: true } ? process.ExitCode : null;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FgcReturns.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FgcReturns.sln was not found above " + AppContext.BaseDirectory);
    }
}
