using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests;

public static class PageExtensions
{
    public static async Task SignInAsync(this IPage page, string email, string password = TestSupport.SignInExtensions.DemoPassword)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Runs axe (WCAG 2.2 A and AA plus best practice) and describes any violation.</summary>
    public static async Task<string[]> AccessibilityViolationsAsync(this IPage page)
    {
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        });
        return results.Violations
            .Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToArray();
    }
}
