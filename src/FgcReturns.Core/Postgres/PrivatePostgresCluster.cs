using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace FgcReturns.Core.Postgres;

/// <summary>
/// A private PostgreSQL cluster on 127.0.0.1 started from the machine's own server binaries,
/// for local runs and tests. PostgreSQL refuses to run as root, so as root it runs as the postgres OS user.
/// </summary>
public sealed class PrivatePostgresCluster : IDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries were not found: install them with 'apt-get install postgresql', " +
        "or give a connection string in the setting ConnectionStrings__Fgc.";

    private readonly string binDir;
    private bool stopped;

    private PrivatePostgresCluster(string dataDirectory, string socketDirectory, string binDir, int port, bool ownsProcess)
    {
        DataDirectory = dataDirectory;
        SocketDirectory = socketDirectory;
        this.binDir = binDir;
        Port = port;
        OwnsProcess = ownsProcess;
    }

    public string DataDirectory { get; }
    public string SocketDirectory { get; }
    public int Port { get; }

    /// <summary>False when an already running cluster was reused.</summary>
    public bool OwnsProcess { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>Starts the cluster in <paramref name="dataDirectory"/>, creating it if needed, or reuses it if it is already running.</summary>
    public static PrivatePostgresCluster StartOrReuse(string dataDirectory, bool forTests = false)
    {
        var bin = FindBinDirectory() ?? throw new StartupException(InstallHint);
        dataDirectory = Path.GetFullPath(dataDirectory);
        var socketDir = Path.Combine(Path.GetTempPath(), "fgc-pg-" + ShortHash(dataDirectory));
        Directory.CreateDirectory(socketDir);
        var runAsPostgres = Environment.UserName == "root" || Environment.IsPrivilegedProcess;

        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            var runningPort = RunningPort(dataDirectory);
            if (runningPort is int port && CanConnect(port))
            {
                // Left running by a portal that was killed: nobody stops it unless this process takes it over.
                var owns = !OwnerIsAlive(dataDirectory);
                return Owned(new PrivatePostgresCluster(dataDirectory, socketDir, bin, port, ownsProcess: owns));
            }
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            if (runAsPostgres)
            {
                Chown(dataDirectory);
                EnsureReachableByPostgres(dataDirectory);
            }

            Run(bin, runAsPostgres, "initdb", "-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        }

        if (runAsPostgres)
        {
            Chown(socketDir);
        }

        var chosenPort = FreePort();
        var options = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {chosenPort} -k {socketDir} -c max_connections=300"));
        if (forTests)
        {
            options.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }

        var log = Path.Combine(dataDirectory, "server.log");
        Run(bin, runAsPostgres, "pg_ctl", "-D", dataDirectory, "-l", log, "-w", "-t", "60", "-o", options.ToString(), "start");
        return Owned(new PrivatePostgresCluster(dataDirectory, socketDir, bin, chosenPort, ownsProcess: true));
    }

    /// <summary>
    /// Creates the database if it is missing, through the maintenance database, so the portal's first connection
    /// finds it instead of failing (and logging an error) first.
    /// </summary>
    public void EnsureDatabase(string database)
    {
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (exists.ExecuteScalar() is null)
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE " + quoted, connection);
            create.ExecuteNonQuery();
        }
    }

    /// <summary>The file beside the data folder naming the process that owns (and will stop) the cluster.</summary>
    private static string OwnerFile(string dataDirectory) => dataDirectory.TrimEnd(Path.DirectorySeparatorChar) + ".owner";

    /// <summary>
    /// An owning process records itself, and stops the cluster when it exits however it ends short of being killed:
    /// after a normal stop, a start that failed after the cluster came up, or an unhandled exception.
    /// </summary>
    private static PrivatePostgresCluster Owned(PrivatePostgresCluster cluster)
    {
        if (cluster.OwnsProcess)
        {
            using var me = Process.GetCurrentProcess();
            File.WriteAllText(OwnerFile(cluster.DataDirectory), string.Create(CultureInfo.InvariantCulture, $"{me.Id} {me.StartTime.ToUniversalTime().Ticks}"));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => cluster.Stop();
        }

        return cluster;
    }

    /// <summary>True when the recorded owner is another process that is still running (the same process, not a reused id).</summary>
    private static bool OwnerIsAlive(string dataDirectory)
    {
        try
        {
            var parts = File.ReadAllText(OwnerFile(dataDirectory)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || pid == Environment.ProcessId)
            {
                return false;
            }

            using var owner = Process.GetProcessById(pid);
            return !owner.HasExited && owner.StartTime.ToUniversalTime().Ticks == ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // No owner file, or the owner has gone.
            return false;
        }
    }

    public static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("FGC_PG_BINDIR");
        if (!string.IsNullOrWhiteSpace(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        try
        {
            var psi = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is not null)
            {
                var dir = p.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                if (p.ExitCode == 0 && File.Exists(Path.Combine(dir, "initdb")))
                {
                    return dir;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed; fall through to the Debian layout.
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    public void Stop()
    {
        if (stopped || !OwnsProcess)
        {
            return;
        }

        stopped = true;
        var runAsPostgres = Environment.UserName == "root" || Environment.IsPrivilegedProcess;
        try
        {
            Run(binDir, runAsPostgres, "pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            File.Delete(OwnerFile(DataDirectory));
        }
        catch (IOException)
        {
            // Best effort: a stale owner file names a process that has gone, which reads as no owner.
        }
    }

    public void Dispose() => Stop();

    private static int? RunningPort(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        try
        {
            // Line 4 of postmaster.pid is the port.
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>As root the server runs as postgres, which cannot enter a private home such as /root.</summary>
    private static void EnsureReachableByPostgres(string dataDirectory)
    {
        try
        {
            RunProcess("runuser", ["-u", "postgres", "--", "test", "-w", dataDirectory]);
        }
        catch (InvalidOperationException)
        {
            throw new StartupException(
                $"The postgres user cannot reach {dataDirectory}: move the repository out of a private folder such as /root, " +
                "or set Database__PrivateClusterPath to a folder the postgres user can reach.");
        }
    }

    private static void Chown(string path) => RunProcess("chown", ["-R", "postgres:postgres", path]);

    private static void Run(string binDir, bool runAsPostgres, string tool, params string[] args)
    {
        var exe = Path.Combine(binDir, tool);
        if (runAsPostgres)
        {
            RunProcess("runuser", ["-u", "postgres", "--", exe, .. args]);
        }
        else
        {
            RunProcess(exe, args);
        }
    }

    private static void RunProcess(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        // Read both streams asynchronously: pg_ctl leaves the server holding no pipe, but initdb can fill one.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', psi.ArgumentList)}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        }
    }

    private static string ShortHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
