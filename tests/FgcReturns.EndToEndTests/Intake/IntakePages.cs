using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Intake;

/// <summary>Keyboard-only steps and page checks shared by the API client, API reference and tracker journeys.</summary>
internal static class IntakePages
{
    private const int MaxTabStops = 200;

    public static async Task<IPage> NewPageAsync(PortalFixture portal, int width)
    {
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 800);
        return page;
    }

    public static async Task SignInByKeyboardAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await TypeIntoAsync(page, page.Locator("#email"), email);
        await TypeIntoAsync(page, page.Locator("#password"), TestSupport.SignInExtensions.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>Tabs to a field and types into it, as a keyboard user would.</summary>
    public static async Task TypeIntoAsync(IPage page, ILocator field, string text)
    {
        await TabToAsync(page, field);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Tabs to a link or button and presses Enter, waiting for the page it leads to when it navigates.</summary>
    public static async Task ActivateAsync(IPage page, ILocator target, bool navigates = true)
    {
        await TabToAsync(page, target);
        if (navigates)
        {
            await PressAndWaitForPageAsync(page, "Enter");
        }
        else
        {
            await page.Keyboard.PressAsync("Enter");
        }
    }

    /// <summary>Presses a key that submits a form or follows a link, and waits for the answer to that request.</summary>
    public static async Task PressAndWaitForPageAsync(IPage page, string key)
    {
        await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync(key), response => response.Request.IsNavigationRequest);
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Presses Tab until the target has focus; fails if it is not in the page's focus order.</summary>
    public static Task TabToAsync(IPage page, ILocator target) => page.TabToAsync(target, MaxTabStops);

    public static Task<string?> FocusedIdAsync(IPage page) => page.EvaluateAsync<string?>("() => document.activeElement && document.activeElement.id");

    /// <summary>No sideways scroll of the page (WCAG 1.4.10), naming what sticks out, and no axe violation.</summary>
    public static Task CheckPageAsync(IPage page, List<string> violations) => page.CheckReflowAndAccessibilityAsync(violations);
}
