using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Tracker;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FgcReturns.IntegrationTests.Tracker;

/// <summary>A data lead computes the return from the FGC service's tracker; nothing of the tracker's rows is kept.</summary>
public sealed class TrackerUploadTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string MedwayLead = TestData.Users.MedwayLead;
    private readonly CapturedLogs logs = new();
    private FgcWebFactory root = null!;
    private WebApplicationFactory<Program> factory = null!;
    private string connectionString = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        connectionString = await database.Server.CreateDatabaseAsync();

        // The 2025-26 collection on the 1.1 draft, which declares the tracker, as it will be once 1.1 is published.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("UPDATE collections SET definition_version = '1.1' WHERE period = '2025-26'", connection);
            await command.ExecuteNonQueryAsync(Ct);
        }

        // Everything the portal logs, at Debug and above, so a test can search it.
        root = new FgcWebFactory(connectionString, settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" });
        factory = root.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        await root.DisposeAsync();
    }

    private static TrackerBuilder Tracker() => TrackerBuilder.Empty()
        .Referral("ZQX-40117", "2025-05-01", children: 2, stage: "Child protection", offered: "2025-05-06", response: "Declined")
        .Referral("ZQX-40117", "2025-09-01", children: 3, stage: "Pre-proceedings (Public Law Outline)", offered: "2025-09-03", response: "Accepted",
            initialFgc: "2025-09-24", planAgreed: "2025-09-24", review: "2025-12-10", outcome: "With parents")
        .Referral("ZQX-40992", "2025-06-02", children: 1, offered: "2025-06-02", response: "Accepted", initialFgc: "2025-06-09", outcome: "Looked after")
        .Referral("ZQX-41555", "2026-02-02", children: 4, viable: "No");

    [Fact]
    public async Task Upload_CleanTracker_PreviewsTheFiguresThenSavesThemThroughTheUploadPathKeepingNoRow()
    {
        // Arrange
        var client = await CreateClientAsync();
        var ret = await OpenReturnAsync();
        var bytes = Tracker().Build(Definition11);

        // Act: upload, see the preview, confirm.
        var upload = await PostTrackerAsync(client, ret.Id, bytes, "our-fgc-tracker.xlsx");
        var previewUrl = upload.Headers.Location!.PathAndQuery;
        var preview = await client.GetStringAsync(new Uri(previewUrl, UriKind.Relative), Ct);
        using var apply = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "apply-tracker",
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(preview),
        });
        var applied = await client.PostAsync(new Uri(previewUrl, UriKind.Relative), apply, Ct);

        // Assert: the preview shows the computed figures, how each is computed, and what would change.
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        previewUrl.ShouldStartWith($"/returns/{ret.Id}/tracker/");
        preview.ShouldContain("Figures computed from the tracker");
        preview.ShouldContain("Your tracker of 4 rows");
        preview.ShouldContain("Number of families (distinct Local reference), with Referral date in the reporting period");
        preview.ShouldContain("answers would change");
        preview.ShouldNotContain("ZQX-");
        applied.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var saved = await OpenReturnAsync();
        saved.Values["referrals_families"].ShouldBe("3");
        saved.Values["referrals_children"].ShouldBe("8");
        saved.Values["referrals_not_viable"].ShouldBe("4");
        saved.Values["families_declined"].ShouldBe("0");
        saved.Values["initial_fgcs_held"].ShouldBe("2");
        saved.Values["median_days_referral_to_fgc"].ShouldBe("11");
        saved.Values["review_fgcs_held"].ShouldBe("1");
        var audit = await WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(a => a.ReturnId == ret.Id).ToListAsync(Ct));
        audit.Where(a => a.Action == "ValueChanged").ShouldAllBe(a => a.Source == "upload");
        audit.ShouldContain(a => a.Action == "TrackerApplied" && a.NewValue == "computed from a tracker of 4 rows" && a.UserEmail == MedwayLead);

        // Nothing of the tracker's rows anywhere: every text column of every table, and everything logged.
        foreach (var reference in new[] { "ZQX-40117", "ZQX-40992", "ZQX-41555", "our-fgc-tracker" })
        {
            (await TablesContainingAsync(reference)).ShouldBeEmpty(reference);
            logs.Messages.ShouldNotContain(m => m.Contains(reference, StringComparison.OrdinalIgnoreCase), reference);
        }

        logs.Messages.ShouldNotBeEmpty();
        (await WithDbAsync(db => db.PendingUploads.CountAsync(Ct))).ShouldBe(0);
    }

    [Fact]
    public async Task Cli_SameTracker_GivesTheSameFiguresAsTheUpload()
    {
        var client = await CreateClientAsync();
        var ret = await OpenReturnAsync();
        var bytes = Tracker().Build(Definition11);
        var path = Path.Combine(Path.GetTempPath(), $"tracker-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, bytes, Ct);
        Dictionary<string, string?> cli;
        int exitCode;
        try
        {
            (exitCode, var output) = await RunCliAsync("tracker", "compute", path, "--definition", "fgc-annual/1.1", "--period", TestData.OpenPeriod,
                "--definitions", Path.Combine(RepoRoot(), "survey-definitions"));
            cli = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(l => l.Split('\t')).ToDictionary(p => p[0], p => p[1] == "not recorded" ? null : (string?)p[1]);
        }
        finally
        {
            File.Delete(path);
        }

        var upload = await PostTrackerAsync(client, ret.Id, bytes, "tracker.xlsx");
        var uploadId = Guid.Parse(upload.Headers.Location!.PathAndQuery.Split('/')[^1]);
        var computed = await WithDbAsync(db => db.PendingUploads.AsNoTracking().SingleAsync(u => u.Id == uploadId, Ct));

        exitCode.ShouldBe(0);
        cli.Count.ShouldBe(computed.Values.Count);
        cli.ShouldBe(computed.Values, ignoreOrder: true);
    }

    [Fact]
    public async Task Upload_TrackerWithANameAsReference_ListsTheRowProblemAndSavesNothing()
    {
        var client = await CreateClientAsync();
        var ret = await OpenReturnAsync();
        var bytes = Tracker().Referral("Jayden Smith", "2025-06-02").Build(Definition11);

        var response = await PostTrackerAsync(client, ret.Id, bytes, "tracker.xlsx");
        var html = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Row 6, Local reference: looks like a person&#x27;s name");
        html.ShouldNotContain("Jayden");
        (await OpenReturnAsync()).Values.ShouldBeEmpty();
        (await WithDbAsync(db => db.PendingUploads.CountAsync(Ct))).ShouldBe(0);
        logs.Messages.ShouldNotContain(m => m.Contains("Jayden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemplateDownload_ForTheReturn_IsTheTrackerTemplateOfItsDefinition()
    {
        var client = await CreateClientAsync();
        var ret = await OpenReturnAsync();

        var bytes = await client.GetByteArrayAsync(new Uri($"/returns/{ret.Id}/tracker-template.xlsx", UriKind.Relative), Ct);

        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes));
        workbook.Worksheets.Select(w => w.Name).ShouldBe(["Instructions", "Tracker", "Lists"]);
    }

    private SurveyDefinition Definition11 => root.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", "1.1")!;

    private async Task<HttpClient> CreateClientAsync() =>
        await factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }).SignedInAsync(MedwayLead);

    private Task<Core.Data.LaReturn> OpenReturnAsync() =>
        WithDbAsync(db => db.Returns.AsNoTracking().SingleAsync(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.OpenPeriod, Ct));

    private async Task<T> WithDbAsync<T>(Func<Core.Data.FgcDbContext, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<Core.Data.FgcDbContext>());
    }

    private async Task<HttpResponseMessage> PostTrackerAsync(HttpClient client, int returnId, byte[] bytes, string fileName)
    {
        var page = await client.GetStringAsync(new Uri($"/returns/{returnId}/tracker", UriKind.Relative), Ct);
        using var content = new MultipartFormDataContent
        {
            { new StringContent("tracker"), "_handler" },
            { new StringContent(SignInExtensions.AntiforgeryToken(page)), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "File", fileName);
        return await client.PostAsync(new Uri($"/returns/{returnId}/tracker", UriKind.Relative), content, Ct);
    }

    /// <summary>Tables and columns (text, varchar, json and jsonb of every table) holding the text anywhere.</summary>
    private async Task<List<string>> TablesContainingAsync(string text)
    {
        var found = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        var columns = new List<(string Schema, string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea', 'ARRAY')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        columns.Count.ShouldBeGreaterThan(20);
        foreach (var (schema, table, column) in columns)
        {
            // Identifiers come from the catalogue, quoted; the searched text is a parameter.
            await using var search = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".\"{table}\" WHERE \"{column}\"::text ILIKE '%' || @text || '%'", connection);
            search.Parameters.AddWithValue("text", text);
            if ((long)(await search.ExecuteScalarAsync(Ct))! > 0)
            {
                found.Add($"{schema}.{table}.{column}");
            }
        }

        return found;
    }

    private static async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        var dll = Path.Combine(RepoRoot(), "src", "FgcReturns.Cli", "bin", "Debug", "net10.0", "FgcReturns.Cli.dll");
        File.Exists(dll).ShouldBeTrue(dll);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, output);
    }

    private static string RepoRoot() => Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory);

    /// <summary>Collects every log message (with its exception) the host writes.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => messages;

        public ILogger CreateLogger(string categoryName) => new Logger(messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + " " + state + " " + exception);
        }
    }
}
