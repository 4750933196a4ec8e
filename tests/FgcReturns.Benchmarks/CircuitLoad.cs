using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Many data leads at once, each with their own Blazor Server circuit (a Chromium page) on the real host and a private
/// PostgreSQL: open a section page, change answers with a think time (each saved as it is left), go to the task list,
/// open the next section (a new circuit) and save there. Several circuits share each return and type into different answers of it. Prints p50/p95/max per
/// step, errors and circuits that died. Run by hand:
///   dotnet run -c Release --project tests/FgcReturns.Benchmarks -- --only-circuits [--circuits 60] [--per-return 3] [--saves 3] [--think-ms 1000]
/// Browser pages, not a raw SignalR client: each costs a renderer process, so far fewer than 500 fit on this machine.
/// </summary>
public static class CircuitLoad
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var circuits = Arg(args, "--circuits", 60);
        var perReturn = Math.Max(1, Arg(args, "--per-return", 3));
        var saves = Arg(args, "--saves", 3);
        var think = TimeSpan.FromMilliseconds(Arg(args, "--think-ms", 1000));
        var repositoryRoot = FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory);
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_FGCRETURNS_WEB", Path.Combine(repositoryRoot, "src", "FgcReturns.Web"));

        Console.WriteLine($"Circuit load: {circuits} circuits, {perReturn} per return, {saves} saves each, think {think.TotalMilliseconds:0} ms ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
        await using var server = await TestDatabaseServer.StartAsync();
        await using var portal = new FgcWebFactory(await server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            // Every harness browser signs in from 127.0.0.1; the per-address limit is for the internet, not this run.
            ["SignInRateLimits:PerClient"] = "100000",
            ["SurveyDefinitions:Path"] = Path.Combine(repositoryRoot, "survey-definitions"),
        });
        portal.StartKestrel();
        var leads = await CreateLeadsAsync(portal, (circuits + perReturn - 1) / perReturn);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FGC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--renderer-process-limit=8"],
        });

        // One signed-in browser context per data lead; each of their circuits is a page in it.
        var contexts = new List<IBrowserContext>();
        foreach (var lead in leads)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.ServerAddress.ToString() });
            context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/account/sign-in");
            await page.GetByLabel("Email address").FillAsync(lead.Email);
            await page.GetByLabel("Password").FillAsync(SignInExtensions.DemoPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));
            await page.CloseAsync();
            contexts.Add(context);
        }

        var timings = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);

        // The server's own view (in process): Blazor's and ASP.NET Core's duration histograms, without the browser's time.
        var serverTimings = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal) && instrument.Name.EndsWith(".duration", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => serverTimings.GetOrAdd(instrument.Name, _ => []).Add(value * 1000));
        listener.Start();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var dead = 0;
        var completed = 0;
        var wall = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, circuits).Select(async i =>
        {
            // Stagger the starts a little, as people arrive over a minute rather than in one millisecond.
            await Task.Delay(TimeSpan.FromMilliseconds(i * 40));
            var lead = leads[i / perReturn];
            var page = await contexts[i / perReturn].NewPageAsync();
            var circuitDied = false;
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && (message.Text.Contains("Circuit", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Unhandled exception", StringComparison.Ordinal)))
                {
                    circuitDied = true;
                }
            };
            try
            {
                await RunCircuitAsync(page, lead.ReturnId, i % perReturn, saves, think, timings, errors);
                Interlocked.Increment(ref completed);
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
            {
                errors.AddOrUpdate("step timed out or failed: " + ex.GetType().Name, 1, (_, n) => n + 1);
            }
            finally
            {
                if (circuitDied || await IsDeadAsync(page))
                {
                    Interlocked.Increment(ref dead);
                }

                await page.CloseAsync();
            }
        }).ToList();
        await Task.WhenAll(tasks);
        wall.Stop();

        Console.WriteLine();
        Console.WriteLine($"| Step | Count | p50 ms | p95 ms | max ms |");
        Console.WriteLine($"|---|---:|---:|---:|---:|");
        foreach (var step in new[] { "open section page", "save an answer", "task list", "open next section", "save on next section" })
        {
            var values = timings.TryGetValue(step, out var bag) ? bag.Order().ToList() : [];
            Console.WriteLine(values.Count == 0
                ? $"| {step} | 0 | | | |"
                : string.Create(CultureInfo.InvariantCulture, $"| {step} | {values.Count} | {Percentile(values, 0.50):0} | {Percentile(values, 0.95):0} | {values[^1]:0} |"));
        }

        foreach (var (name, bag) in serverTimings.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var values = bag.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| server: {name} | {values.Count} | {Percentile(values, 0.50):0.0} | {Percentile(values, 0.95):0.0} | {values[^1]:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Circuits: {circuits} started, {completed} completed every step, {dead} died. Wall time {wall.Elapsed.TotalSeconds:0.0} s."));
        Console.WriteLine(errors.IsEmpty ? "Errors: none." : "Errors: " + string.Join("; ", errors.Select(e => $"{e.Key} × {e.Value}")));
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        return 0;
    }

    private static async Task RunCircuitAsync(IPage page, int returnId, int slot, int saves, TimeSpan think, ConcurrentDictionary<string, ConcurrentBag<double>> timings, ConcurrentDictionary<string, int> errors)
    {
        await OpenSectionAsync(page, returnId, "referrals", "open section page", timings);

        // Circuits on the same return type into different answers: each keeps to its own field.
        var inputs = page.Locator("main input.govuk-input");
        var field = inputs.Nth(slot % await inputs.CountAsync());
        for (var n = 0; n < saves; n++)
        {
            await Task.Delay(think);
            await SaveAsync(page, field, "save an answer", timings, errors);
        }

        // Back to the task list and on to the next section (a new circuit), as a data lead moves through the return.
        await Task.Delay(think);
        await TimeAsync(timings, "task list", async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Return to your task list" }).ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith($"/returns/{returnId}", StringComparison.Ordinal));
            await page.Locator("h1").WaitForAsync();
        });

        await Task.Delay(think);
        await OpenSectionAsync(page, returnId, "offers", "open next section", timings);
        await Task.Delay(think);
        var next = page.Locator("main input.govuk-input");
        await SaveAsync(page, next.Nth(slot % await next.CountAsync()), "save on next section", timings, errors);
    }

    private static Task OpenSectionAsync(IPage page, int returnId, string section, string step, ConcurrentDictionary<string, ConcurrentBag<double>> timings) =>
        TimeAsync(timings, step, async () =>
        {
            await page.GotoAsync($"/returns/{returnId}/sections/{section}");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        });

    /// <summary>Types a number and leaves the field (the change event saves it); timed until the page reports the save.</summary>
    private static async Task SaveAsync(IPage page, ILocator input, string step, ConcurrentDictionary<string, ConcurrentBag<double>> timings, ConcurrentDictionary<string, int> errors)
    {
        var status = page.Locator("#save-status");
        var before = await status.GetAttributeAsync("data-save-count") ?? "0";
        await input.FillAsync(Random.Shared.Next(1, 400).ToString(CultureInfo.InvariantCulture));
        await TimeAsync(timings, step, async () =>
        {
            await input.PressAsync("Tab");
            await page.WaitForFunctionAsync("before => document.querySelector('#save-status')?.dataset.saveCount !== before", before);
        });
        var text = (await status.TextContentAsync())?.Trim() ?? "";
        if (!text.StartsWith("Saved", StringComparison.Ordinal))
        {
            errors.AddOrUpdate($"{step}: \"{(text.Length > 60 ? text[..60] + "…" : text)}\"", 1, (_, n) => n + 1);
        }
    }

    private static async Task TimeAsync(ConcurrentDictionary<string, ConcurrentBag<double>> timings, string step, Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        timings.GetOrAdd(step, _ => []).Add(watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>Blazor's error bar or the reconnect dialog in a failed/rejected state means the circuit is gone.</summary>
    private static async Task<bool> IsDeadAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<bool>("""
                () => {
                  const error = document.getElementById('blazor-error-ui');
                  const reconnect = document.getElementById('components-reconnect-modal');
                  const errorShown = error && getComputedStyle(error).display !== 'none';
                  const lost = reconnect && /components-reconnect-(failed|rejected)/.test(reconnect.className);
                  return !!(errorShown || lost);
                }
                """);
        }
        catch (PlaywrightException)
        {
            return true;
        }
    }

    internal static async Task<List<(string Email, int ReturnId)>> CreateLeadsAsync(FgcWebFactory portal, int count)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        var returns = await db.Returns.AsNoTracking().Where(r => r.Collection!.Period == TestData.OpenPeriod)
            .OrderBy(r => r.LaCode).Select(r => new { r.Id, r.LaCode }).Take(count).ToListAsync();
        var leads = new List<(string, int)>();
        foreach (var ret in returns)
        {
            var email = $"load.{ret.LaCode}@fgc.example";
            var user = new FgcUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Load " + ret.LaCode, LaCode = ret.LaCode, IsActive = true };
            var created = await users.CreateAsync(user, SignInExtensions.DemoPassword);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }

            await users.AddToRoleAsync(user, Roles.LaDataLead);
            leads.Add((email, ret.Id));
        }

        return leads;
    }

    internal static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Round((sorted.Count - 1) * p)];

    internal static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
