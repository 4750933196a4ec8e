using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Operations;

/// <summary>
/// A developer's portal with its own private PostgreSQL (no connection string): a fresh start logs no database
/// errors, and whoever started or took over the cluster stops it — after a normal stop, a failed start, or a restart
/// following a kill.
/// </summary>
public sealed class PrivateClusterLifecycleTests : IDisposable
{
    private readonly string folder;

    public PrivateClusterLifecycleTests()
    {
        // Under /tmp and readable by all, which the postgres user needs when tests run as root.
        folder = Path.Combine(Path.GetTempPath(), "fgc-lifecycle-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }
    }

    private string ClusterPath => Path.Combine(folder, "postgres");

    private bool ClusterRunning => File.Exists(Path.Combine(ClusterPath, "postmaster.pid"));

    public void Dispose()
    {
        // Stop anything a failed test left running, then remove the folder.
        if (ClusterRunning && Core.Postgres.PrivatePostgresCluster.FindBinDirectory() is { } bin)
        {
            using var stop = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("runuser", ["-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", ClusterPath, "-m", "immediate", "-w", "stop"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            stop?.WaitForExit(30_000);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean /tmp.
        }
    }

    [Fact]
    public async Task FreshStart_ThenStop_NoDatabaseErrorLoggedAndTheClusterIsStopped()
    {
        // Arrange
        await using var portal = PortalProcess.WebOnPrivateCluster("portal", ClusterPath);

        // Act
        await portal.StartAsync(TimeSpan.FromMinutes(3));
        var runningWhileUp = ClusterRunning;
        await portal.StopAsync();

        // Assert
        runningWhileUp.ShouldBeTrue();
        portal.Output.ShouldNotContain("An error occurred using the connection to database");
        portal.Output.ShouldNotContain("Failed executing DbCommand", customMessage: portal.Output);
        portal.Output.ShouldNotContain("fail:");
        ClusterRunning.ShouldBeFalse("stopping the portal must stop the PostgreSQL it started");
    }

    [Fact]
    public async Task Restart_AfterThePortalWasKilled_TheNewPortalOwnsTheClusterAndStopsIt()
    {
        // Arrange: a portal killed outright leaves its PostgreSQL running.
        await using (var first = PortalProcess.WebOnPrivateCluster("first", ClusterPath))
        {
            await first.StartAsync(TimeSpan.FromMinutes(3));
            await first.KillAsync();
        }

        var leftRunning = ClusterRunning;

        // Act: start again (reusing that cluster), then stop normally.
        await using var second = PortalProcess.WebOnPrivateCluster("second", ClusterPath);
        await second.StartAsync(TimeSpan.FromMinutes(3));
        await second.StopAsync();

        // Assert
        leftRunning.ShouldBeTrue();
        ClusterRunning.ShouldBeFalse("the restarted portal must own the PostgreSQL it reused, and stop it");
    }

    [Fact]
    public async Task Start_FailingAfterTheClusterCameUp_StopsTheCluster()
    {
        // Arrange: a setting problem found after the private PostgreSQL has started.
        await using var portal = PortalProcess.WebOnPrivateCluster("portal", ClusterPath, new Dictionary<string, string?> { ["Collections__ReminderHour"] = "25" });

        // Act
        var start = () => portal.StartAsync(TimeSpan.FromMinutes(3));

        // Assert
        var failure = await start.ShouldThrowAsync<InvalidOperationException>();
        failure.Message.ShouldContain("FGC Returns cannot start: The Collections settings are not valid");
        portal.ExitCode.ShouldBe(1);
        File.Exists(Path.Combine(ClusterPath, "PG_VERSION")).ShouldBeTrue("the cluster had been created before the failure");
        ClusterRunning.ShouldBeFalse("a failed start must stop the PostgreSQL it started");
    }
}
