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

    /// <summary>Waits until the page's Blazor circuit has taken over from the prerendered HTML (its marker appears).</summary>
    public static Task WaitInteractiveAsync(this IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>How many saves the return page's status line has counted ("" on a page without one).</summary>
    public static async Task<string> SaveCountAsync(this IPage page) =>
        await page.Locator("#save-status").CountAsync() == 0 ? "" : await page.Locator("#save-status").GetAttributeAsync("data-save-count") ?? "0";

    /// <summary>Waits for the next save after the one counted as <paramref name="before"/>.</summary>
    public static Task WaitForSaveAsync(this IPage page, string before) =>
        Assertions.Expect(page.Locator("#save-status")).Not.ToHaveAttributeAsync("data-save-count", before);

    /// <summary>The id a question's field has on the page: an item or grid-cell key with its dots as dashes.</summary>
    public static string FieldId(string key) => key.Replace('.', '-');

    /// <summary>Presses Tab until the target has focus; fails if it is not reached in <paramref name="maxTabStops"/> presses (not in the focus order).</summary>
    public static async Task TabToAsync(this IPage page, ILocator target, int maxTabStops)
    {
        await target.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        for (var i = 0; i < maxTabStops; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        throw new ShouldAssertException($"{target} was not reached with {maxTabStops} presses of Tab on {page.Url}.");
    }

    /// <summary>Adds to <paramref name="violations"/> any sideways scroll of the page (WCAG 1.4.10) and any axe violation.</summary>
    public static async Task CheckReflowAndAccessibilityAsync(this IPage page, List<string> violations)
    {
        if (await page.SidewaysScrollAsync() is { } sideways)
        {
            violations.Add(sideways);
        }

        violations.AddRange((await page.AccessibilityViolationsAsync()).Select(v => $"{new Uri(page.Url).AbsolutePath}: {v}"));
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
    /// How far the page scrolls sideways (WCAG 1.4.10 Reflow), or null when it does not, naming what sticks out:
    /// the innermost elements and the text past the right edge that no scrolling container of their own holds.
    /// </summary>
    public static async Task<string?> SidewaysScrollAsync(this IPage page)
    {
        var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow <= 0)
        {
            return null;
        }

        var culprits = await page.EvaluateAsync<string>(
            """
            () => {
              const edge = document.documentElement.clientWidth + 1;
              // A scrolling ancestor holds an element unless the element is absolutely positioned against something
              // outside it (then it widens the page from inside a table that itself scrolls).
              const clipped = n => {
                let escapes = n.nodeType === 1 && ['absolute', 'fixed'].includes(getComputedStyle(n).position);
                for (let a = n.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
                  const style = getComputedStyle(a);
                  if (escapes && style.position !== 'static' && getComputedStyle(n).position === 'absolute') escapes = false;
                  if (!escapes && ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
                }
                return false;
              };
              const name = e => `<${e.tagName.toLowerCase()}${e.id ? ' id="' + e.id + '"' : ''}${typeof e.className === 'string' && e.className ? ' class="' + e.className + '"' : ''}>`;
              const found = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let t = walker.nextNode(); t && found.length < 4; t = walker.nextNode()) {
                if (!t.textContent.trim() || clipped(t)) continue;
                const range = document.createRange(); range.selectNodeContents(t);
                const right = Math.max(0, ...[...range.getClientRects()].map(r => r.right));
                if (right > edge) found.push(`text "${t.textContent.trim().slice(0, 50)}" in ${name(t.parentElement)} reaching ${Math.round(right)} px`);
              }
              const elements = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > edge && !clipped(e))
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > edge && !clipped(c)));
              for (const e of elements.slice(0, 4)) found.push(`${name(e)} reaching ${Math.round(e.getBoundingClientRect().right)} px`);
              return found.join('; ');
            }
            """);
        return $"{new Uri(page.Url).AbsolutePath} scrolls sideways by {overflow.ToString(System.Globalization.CultureInfo.InvariantCulture)} px ({culprits})";
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
