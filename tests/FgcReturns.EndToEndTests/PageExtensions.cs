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
            .Select(v => (v.Id, v.Help, Nodes: v.Nodes.Where(n => !IsGovUkConditionalReveal(v.Id, n)).ToList()))
            .Where(v => v.Nodes.Count > 0)
            .Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToArray();
    }

    /// <summary>
    /// GOV.UK Frontend puts aria-expanded on a radio or checkbox that reveals a conditional question. The ARIA
    /// specification does not list it for those roles, so axe reports it; the Design System keeps it on purpose because
    /// screen readers announce it (govuk-frontend issue 979, a documented known issue). Only that one attribute on
    /// those inputs is let through; any other disallowed attribute is still reported.
    /// </summary>
    private static bool IsGovUkConditionalReveal(string ruleId, AxeResultNode node) =>
        ruleId == "aria-allowed-attr"
        && (node.Html.Contains("govuk-radios__input", StringComparison.Ordinal) || node.Html.Contains("govuk-checkboxes__input", StringComparison.Ordinal))
        && (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(check => check.Message ?? "").ToList() is { Count: > 0 } messages
        && messages.All(message => message.Contains("aria-expanded", StringComparison.Ordinal) && !message.Contains(',', StringComparison.Ordinal));
}
