using System.Globalization;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Jobs;
using FgcReturns.Core.ReferenceData;
using FgcReturns.Core.SurveyDefinitions;
using Microsoft.EntityFrameworkCore;

return Cli.Run(args, Console.Out, Console.Error);

internal static class Cli
{
    private static readonly string Usage = """
        Usage:
          fgc definitions check <folder>   Check every survey definition (*.yaml) under the folder.
          fgc migrate                      Apply database migrations and load reference data into the database
                                           given by the environment variable ConnectionStrings__Fgc.
          fgc worker [--urls <url>]        Run the background jobs (Hangfire server) only, with health endpoints
                                           /health/live and /health/ready; web instances then set
                                           Jobs__ServerEnabled=false. Stops on Ctrl+C or SIGTERM.
        """ + Environment.NewLine + TrackerCommand.Usage + Environment.NewLine + """
                                           Compute a return's figures from an FGC tracker, on this machine only.

        Exit codes: 0 all valid, 1 problems found, 2 wrong usage.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case ["definitions", "check", var folder]:
                return CheckDefinitions(folder, output);
            case ["tracker", "compute", .. var rest]:
                return TrackerCommand.Run(rest, output, error, DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
            case ["migrate"]:
                return Migrate(output, error);
            case ["worker", .. var options]:
                return Worker(options, error);
            case ["-h" or "--help" or "help", ..]:
                output.WriteLine(Usage);
                return 0;
            default:
                error.WriteLine(args.Length == 0 ? "No command given." : $"Unknown command: {string.Join(' ', args)}");
                error.WriteLine(Usage);
                return 2;
        }
    }

    private static int Worker(string[] options, TextWriter error)
    {
        try
        {
            WorkerHost.Build(options).Run();
            return 0;
        }
        catch (Exception e) when (e is StartupException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            error.WriteLine("FGC Returns worker cannot start: " + e.Message);
            return 1;
        }
    }

    private static int Migrate(TextWriter output, TextWriter error)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Fgc");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error.WriteLine("Set the environment variable ConnectionStrings__Fgc to the PostgreSQL connection string to migrate.");
            return 2;
        }

        var options = new DbContextOptionsBuilder<FgcDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options;
        using var db = new FgcDbContext(options);
        var pending = db.Database.GetPendingMigrations().ToList();
        db.Database.Migrate();
        ReferenceDataSeeder.SeedAsync(db).GetAwaiter().GetResult();
        output.WriteLine(pending.Count == 0
            ? "The database was already up to date."
            : string.Create(CultureInfo.InvariantCulture, $"Applied {pending.Count} {(pending.Count == 1 ? "migration" : "migrations")}: {string.Join(", ", pending)}."));
        return 0;
    }

    private static int CheckDefinitions(string folder, TextWriter output)
    {
        var result = SurveyDefinitionLoader.LoadFolder(folder);
        foreach (var problem in result.Problems)
        {
            output.WriteLine(problem.ToString());
        }

        if (result.Problems.Count == 0 && result.Definitions.Count == 0)
        {
            output.WriteLine($"No survey definitions (*.yaml) were found in {folder}.");
            return 1;
        }

        if (result.Problems.Count == 0)
        {
            var count = result.Definitions.Count;
            output.WriteLine(count == 1
                ? "The survey definition is valid."
                : string.Create(CultureInfo.InvariantCulture, $"All {count} survey definitions are valid."));
            return 0;
        }

        var files = result.Problems.Select(p => p.File).Distinct(StringComparer.Ordinal).Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Found {result.Problems.Count} {(result.Problems.Count == 1 ? "problem" : "problems")} in {files} {(files == 1 ? "file" : "files")}. {result.Definitions.Count} valid survey {(result.Definitions.Count == 1 ? "definition" : "definitions")}."));
        return 1;
    }
}
