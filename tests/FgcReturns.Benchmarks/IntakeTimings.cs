using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FgcReturns.Core.ApiClients;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Tracker;
using FgcReturns.Core.Validation;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 15's timings: one full return validated and saved through PATCH /api/v1 (the real host's pipeline in process,
/// real PostgreSQL), and a 5,000-row tracker read, derived and previewed, with its peak managed memory.
/// </summary>
internal static class IntakeTimings
{
    private const string Lead = TestData.Users.MedwayLead;

    public static async Task<IEnumerable<(string Measure, string Figure)>> PatchAsync(TestDatabaseServer server, int patches)
    {
        await using var app = new FgcWebFactory(await server.CreateDatabaseAsync(), settings: new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "100000" });
        string secret;
        int returnId;
        SurveyDefinition definition;
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
            var user = await users.FindByEmailAsync(Lead) ?? throw new InvalidOperationException("No user " + Lead);
            var lead = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<FgcUser>>().CreateAsync(user);
            secret = (await scope.ServiceProvider.GetRequiredService<ApiClientService>().CreateAsync(lead, null, "Harness", 12)).Value!.Secret;
            var ret = await scope.ServiceProvider.GetRequiredService<FgcDbContext>().Returns.AsNoTracking().Include(r => r.Collection)
                .SingleAsync(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.OpenPeriod);
            returnId = ret.Id;
            definition = scope.ServiceProvider.GetRequiredService<SurveyDefinitionCatalog>().Get(ret.Collection!.SurveyId, ret.Collection.DefinitionVersion)!;
        }

        // A full, realistic return as the API's JSON; each PATCH sends all of it, with one value changed.
        var full = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2025);
        var body = new JsonObject();
        foreach (var (key, value) in full)
        {
            var question = definition.QuestionForValueKey(key)!;
            body[key] = value is null ? null
                : question.IsNumeric || question.Grid is not null ? JsonValue.Create(decimal.Parse(value, CultureInfo.InvariantCulture))
                : question.Type == QuestionType.MultipleChoice ? new JsonArray(value.Split(',').Select(v => (JsonNode)JsonValue.Create(v)!).ToArray())
                : JsonValue.Create(value);
        }

        using var http = app.CreateBrowserlessClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var read = await http.GetAsync(new Uri($"/api/v1/returns/{returnId}", UriKind.Relative));
        var etag = read.Headers.ETag!.ToString();
        var offered = body["families_offered"]!.GetValue<decimal>();
        var times = new List<double>(patches);
        for (var i = 0; i < patches + 20; i++)
        {
            body["families_offered"] = offered + (i % 2);
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri($"/api/v1/returns/{returnId}/values", UriKind.Relative))
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"PATCH failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            etag = response.Headers.ETag!.ToString();
            if (i >= 20)
            {
                times.Add(elapsed); // the first 20 warm up the host and connection pool
            }
        }

        return [($"PATCH /api/v1 one full return ({full.Count} values; validate and save through ReturnService; ms, median / p95 of {patches:N0})",
            $"{ReturnTimings.Percentile(times, 0.5):F1} / {ReturnTimings.Percentile(times, 0.95):F1}")];
    }

    public static IEnumerable<(string Measure, string Figure)> Tracker(SurveyDefinitionCatalog catalog, int rows, int runs)
    {
        var definition = catalog.Get("fgc-annual", "1.1") ?? throw new InvalidOperationException("No FGC 1.1 definition.");
        var builder = TrackerBuilder.Empty();
        var rng = new Random(15);
        string[] stages = ["Early help", "Child in need", "Child protection", "Pre-proceedings (Public Law Outline)", "Looked after"];
        string[] outcomes = ["With parents", "With family or friends", "Looked after", "Not known"];
        var start = new DateOnly(2025, 4, 1);
        for (var i = 0; i < rows; i++)
        {
            var referral = start.AddDays(rng.Next(0, 360));
            var accepted = rng.Next(4) > 0;
            var fgc = accepted && rng.Next(5) > 0 ? referral.AddDays(rng.Next(7, 60)) : (DateOnly?)null;
            builder.Referral(
                string.Create(CultureInfo.InvariantCulture, $"FGC-{rng.Next(0, rows * 9 / 10):D6}"),
                referral.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                children: rng.Next(1, 6),
                stage: stages[rng.Next(stages.Length)],
                offered: referral.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                response: accepted ? "Accepted" : "Declined",
                initialFgc: fgc?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                planAgreed: fgc?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                outcome: fgc is null ? null : outcomes[rng.Next(outcomes.Length)]);
        }

        var bytes = builder.Build(definition);
        var current = new Dictionary<string, string?>(StringComparer.Ordinal);
        var times = new List<double>(runs);
        long peak = 0;
        // What the upload does: read and derive in memory, then the preview's changes and checks.
        void Preview()
        {
            var computed = TrackerComputation.Compute(new MemoryStream(bytes), "tracker.xlsx", bytes.Length, definition, start, new DateOnly(2026, 3, 31));
            if (!computed.IsClean)
            {
                throw new InvalidOperationException("The synthetic tracker has problems: " + string.Join("; ", computed.Problems.Take(5)));
            }

            var after = new Dictionary<string, string?>(current, StringComparer.Ordinal);
            foreach (var (key, value) in computed.Values)
            {
                after[key] = value;
            }

            var changes = computed.Values.Count(kv => StoredAnswer.From(current, kv.Key) != (kv.Value is null ? StoredAnswer.NotRecorded : StoredAnswer.Of(kv.Value)));
            GC.KeepAlive(ValidationEngine.Validate(definition, after));
            GC.KeepAlive(changes);
        }

        // Time, without the memory sampler. The first computation in a process runs ClosedXML's and our code as tier-0
        // (unoptimised) JIT code: it is shown apart, and 10 more warm the code up before the timed runs, which were
        // otherwise measuring the JIT (2 warm-ups gave medians of 1.4 to 3 s against about 1 s with tiering off).
        var first = 0.0;
        const int WarmUps = 10;
        for (var run = 0; run < runs + WarmUps + 1; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var watch = Stopwatch.StartNew();
            Preview();
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (run == 0)
            {
                first = elapsed;
            }
            else if (run > WarmUps)
            {
                times.Add(elapsed);
            }
        }

        // Peak memory, in separate runs with the sampler.
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var runPeak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    runPeak = Math.Max(runPeak, GC.GetTotalMemory(false));
                    Thread.Sleep(1);
                }
            });
            Preview();
            sampling.Cancel();
            sampler.Wait();
            peak = Math.Max(peak, runPeak - baseline);
        }

        // Where the time goes: the zip inspection (refusing bombs unopened), ClosedXML opening the workbook, and the rest
        // (reading the rows, deriving, the preview's changes and checks).
        var inspect = new List<double>(runs);
        var open = new List<double>(runs);
        var readAll = new List<double>(runs);
        var derive = new List<double>(runs);
        var validate = new List<double>(runs);
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            if (Core.Uploads.WorkbookInspector.Inspect(bytes, Core.Uploads.WorkbookLimits.Tracker) is { } refusal)
            {
                throw new InvalidOperationException(refusal);
            }

            inspect.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            using (new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes)))
            {
                open.Add(watch.Elapsed.TotalMilliseconds);
            }

            watch.Restart();
            var read = TrackerReader.Read(new MemoryStream(bytes), "tracker.xlsx", bytes.Length, definition.Tracker!, new DateOnly(2026, 3, 31));
            readAll.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var derived = TrackerDeriver.Derive(definition, read.Rows, start, new DateOnly(2026, 3, 31));
            derive.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            GC.KeepAlive(ValidationEngine.Validate(definition, derived));
            validate.Add(watch.Elapsed.TotalMilliseconds);
        }

        return [($"Tracker of {rows:N0} rows ({bytes.Length / 1024:N0} KB .xlsx) read, derived and previewed (ms, median / max of {runs})",
                $"{ReturnTimings.Percentile(times, 0.5):F0} / {times.Max():F0} (the first in the process {first:F0}); of which zip inspection {ReturnTimings.Percentile(inspect, 0.5):F0}, ClosedXML opening the workbook {ReturnTimings.Percentile(open, 0.5):F0}, whole read (inspection, opening, rows) {ReturnTimings.Percentile(readAll, 0.5):F0}, derivation {ReturnTimings.Percentile(derive, 0.5):F0}, checks {ReturnTimings.Percentile(validate, 0.5):F1} (medians)"),
            ("Tracker: peak managed memory above baseline during one computation (MB)", $"{peak / (1024.0 * 1024.0):F0}")];
    }
}
