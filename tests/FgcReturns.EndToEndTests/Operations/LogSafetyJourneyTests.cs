using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Operations;

/// <summary>
/// Answers typed into a live Blazor page travel as circuit events, a path the service-level log-safety test does not
/// take. Every log line the host writes at Trace (more than anyone runs in production), for every category, while a data lead types answers, a wrong
/// value and an explanation in Chromium, must be free of what they typed.
/// </summary>
public sealed class LogSafetyJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string TypedOffered = "97531";
    private const string TypedAccepted = "86429";
    private const string TypedWrongValue = "12ab34cd";
    private const string TypedExplanation = "Our panel met twice in the spring quarter";

    private readonly CapturingLoggerProvider logs = new();
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await browser.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Components"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.SignalR"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore.Http.Connections"] = "Trace",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        });
        factory.StartKestrel();
        factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task TypeAnswersInTheBrowser_AtTraceLogging_NoTypedValueInAnyLogLine()
    {
        // Arrange
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = factory.ServerAddress.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.SignInAsync(TestData.Users.MedwayLead);
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));

        // Act: answers, a wrong figure and an explanation typed into the live form, each saved through the circuit.
        await page.GotoAsync($"/returns/{ret.Id}/sections/offers");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await TypeAndSaveAsync(page, "families_offered", TypedOffered);
        await TypeAndSaveAsync(page, "families_accepted", TypedWrongValue);
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();
        await TypeAndSaveAsync(page, "families_accepted", TypedAccepted);
        var explain = page.Locator("textarea[id^='explain-']").First;
        if (await explain.CountAsync() > 0)
        {
            await explain.FillAsync(TypedExplanation);
            await explain.PressAsync("Tab");
        }

        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("#families_offered")).ToHaveValueAsync(TypedOffered);
        await context.CloseAsync();

        // Assert: the circuit and its events were logged, and none of the lines holds what was typed.
        var lines = logs.Lines.ToList();
        lines.ShouldContain(l => l.Contains("Microsoft.AspNetCore.Components", StringComparison.Ordinal), "The capture saw no Blazor circuit lines.");
        var typed = new[] { TypedOffered, TypedAccepted, TypedWrongValue, TypedExplanation };
        var leaks = (from line in lines
                     from value in typed
                     where CapturingLoggerProvider.Reveals(line, value)
                     select $"'{value}' in: {line[..Math.Min(line.Length, 300)]}").Distinct().ToList();
        leaks.ShouldBeEmpty();
    }

    private static async Task TypeAndSaveAsync(IPage page, string id, string value)
    {
        var status = page.Locator("#save-status");
        var before = await status.GetAttributeAsync("data-save-count") ?? "0";
        await page.Locator($"#{id}").FillAsync(value);
        await page.Locator($"#{id}").PressAsync("Tab");
        await Assertions.Expect(status).Not.ToHaveAttributeAsync("data-save-count", before);
    }
}
