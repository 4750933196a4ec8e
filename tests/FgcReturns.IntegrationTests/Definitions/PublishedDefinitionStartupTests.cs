using FgcReturns.Core.Data;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Definitions;

public sealed class PublishedDefinitionStartupTests(DatabaseServerFixture database)
{
    [Fact]
    public async Task Startup_PublishedFileChangedSinceRecorded_FailsNamingTheFile()
    {
        // Arrange: a copy of the definitions in which published 1.0 has been edited in place.
        var folder = Directory.CreateTempSubdirectory("fgc-definitions-").FullName;
        var source = Path.Combine(Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory), "survey-definitions");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var published = Path.Combine(folder, "fgc-annual", "1.0.yaml");
        await File.WriteAllTextAsync(published, (await File.ReadAllTextAsync(published, TestContext.Current.CancellationToken))
            .Replace("How is your FGC service delivered?", "How is your FGC service run?", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var connectionString = await database.Server.CreateDatabaseAsync();
        var recorded = await RecordedHashAsync(connectionString);

        // Act: start the real portal process against that database and folder.
        var webDll = Path.Combine(AppContext.BaseDirectory, "FgcReturns.Web.dll");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(webDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ConnectionStrings__Fgc"] = connectionString;
        psi.Environment["SurveyDefinitions__Path"] = folder;
        psi.Environment["Jobs__ServerEnabled"] = "false";
        psi.Environment["Demo__Seed"] = "false";
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var exited = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        // Assert: it refused to start, said which file and why, and the recorded hash is unchanged.
        exited.ShouldBeTrue("the portal kept running with a changed published definition");
        process.ExitCode.ShouldBe(1);
        var message = await stderr;
        message.ShouldStartWith("FGC Returns cannot start:", customMessage: message + await stdout);
        message.ShouldContain("1.0.yaml");
        message.ShouldContain("Published versions cannot be changed");
        recorded.ShouldNotBeNull();
        (await RecordedHashAsync(connectionString)).ShouldBe(recorded);
    }

    private static async Task<string?> RecordedHashAsync(string connectionString)
    {
        var options = new DbContextOptionsBuilder<FgcDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;
        await using var db = new FgcDbContext(options);
        return await db.SurveyDefinitions.Where(d => d.SurveyId == "fgc-annual" && d.Version == "1.0").Select(d => d.ContentHash).SingleOrDefaultAsync();
    }
}
