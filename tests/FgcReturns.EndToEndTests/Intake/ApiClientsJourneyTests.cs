using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Intake;

/// <summary>
/// The API clients page and the API reference page in a real browser, keyboard only, at 1280 and 320 CSS pixels,
/// with axe and the reflow check on every state of the page.
/// </summary>
public sealed class ApiClientsJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string MedwayLead = TestData.Users.MedwayLead;

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task ApiClients_KeyboardOnly_CreateSeeTheSecretOnceUseItThenRevoke(int width)
    {
        // Arrange
        var name = $"Mosaic nightly export {width}";
        var violations = new List<string>();
        var page = await IntakePages.NewPageAsync(portal, width);
        await IntakePages.SignInByKeyboardAsync(page, MedwayLead);
        using var api = new HttpClient { BaseAddress = portal.Factory.ServerAddress };
        await page.GotoAsync("/api-clients");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API clients");
        await IntakePages.CheckPageAsync(page, violations);

        // Act 1: create without a name; the error summary's link lands on the name field.
        await IntakePages.ActivateAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Create client" }));
        var errorLink = page.Locator(".govuk-error-summary a").First;
        await Assertions.Expect(errorLink).ToBeVisibleAsync();
        await IntakePages.CheckPageAsync(page, violations);
        await IntakePages.ActivateAsync(page, errorLink, navigates: false);
        await Assertions.Expect(page.Locator("#name")).ToBeFocusedAsync();

        // Act 2: type the name there and press Enter: the client is created and its secret shown, once.
        await page.Keyboard.TypeAsync(name);
        await IntakePages.PressAndWaitForPageAsync(page, "Enter");
        await Assertions.Expect(page.Locator(".govuk-panel__title")).ToHaveTextAsync($"Client '{name}' created");
        var secret = await page.Locator("#api-secret").InputValueAsync();
        await IntakePages.TabToAsync(page, page.Locator("#api-secret"));
        await IntakePages.CheckPageAsync(page, violations);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var used = await api.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), TestContext.Current.CancellationToken);

        // Act 2b: reload the page that showed the secret: no second client, and the secret is not shown again.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("API clients");
        var afterReload = await page.ContentAsync();

        // Act 3: come back to the page: the list, without the secret.
        await page.GotoAsync("/api-clients");
        var row = page.Locator("tbody tr", new() { HasText = name });
        var html = await page.ContentAsync();
        await IntakePages.CheckPageAsync(page, violations);

        // Act 4: revoke it with the keyboard.
        await IntakePages.ActivateAsync(page, row.GetByRole(AriaRole.Button, new() { Name = "Revoke " + name }));
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = name })).ToContainTextAsync("Revoked");
        await IntakePages.CheckPageAsync(page, violations);
        var afterRevoke = await api.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        secret.ShouldStartWith("fgc_");
        used.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldNotContain(secret, Case.Sensitive, "the secret is shown once, in the answer to the creation only");
        afterReload.ShouldNotContain(secret, Case.Sensitive, "a reload does not show the secret again");
        (await page.Locator("tbody tr", new() { HasText = name }).CountAsync()).ShouldBe(1, "a reload must not create a second client");
        (await page.Locator("#api-secret").CountAsync()).ShouldBe(0);
        await Assertions.Expect(row.Locator("td").Nth(3)).Not.ToHaveTextAsync("Never"); // last use is listed
        afterRevoke.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        violations.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task ApiReference_ListsEveryEndpointOfTheOpenApiDocument_ReadableAndKeyboardReachable(int width)
    {
        // Arrange: the endpoints the OpenAPI document describes.
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = portal.Factory.ServerAddress };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), ct));
        var endpoints = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "post" or "patch" or "put" or "delete")
                .Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToList();
        var violations = new List<string>();
        var page = await IntakePages.NewPageAsync(portal, width);
        await IntakePages.SignInByKeyboardAsync(page, MedwayLead);

        // Act
        await page.GotoAsync("/api/reference");
        var listed = (await page.Locator("#endpoints + .govuk-summary-list dt").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
        await IntakePages.CheckPageAsync(page, violations);
        await IntakePages.TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "OpenAPI document" }));
        var example = page.Locator("pre");
        var exampleReachable = await example.CountAsync() == 0 || await example.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth || e.tabIndex >= 0 || e.closest('[tabindex=\"0\"]') !== null");

        // Assert: every endpoint of the document is on the page, and nothing more.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Submission API reference");
        endpoints.ShouldNotBeEmpty();
        listed.ShouldBe(endpoints, ignoreOrder: true);
        exampleReachable.ShouldBeTrue("an example wider than the page scrolls in a region a keyboard user can reach");
        violations.ShouldBeEmpty();
    }
}
