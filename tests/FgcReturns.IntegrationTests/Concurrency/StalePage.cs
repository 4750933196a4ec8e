using System.Net;
using System.Text.RegularExpressions;
using FgcReturns.Core.Identity;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Concurrency;

/// <summary>
/// A page as one person's browser loaded it, kept while someone else changes the same thing; its forms are later
/// posted with the hidden fields and antiforgery token it was rendered with, exactly as that browser would.
/// </summary>
public sealed partial class StalePage
{
    private readonly HttpClient client;
    private readonly string path;
    private readonly string html;

    private StalePage(HttpClient client, string path, string html)
    {
        this.client = client;
        this.path = path;
        this.html = html;
    }

    public static async Task<StalePage> OpenAsync(HttpClient client, string path) =>
        new(client, path, await client.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken));

    /// <summary>Posts the named form with its hidden fields as rendered, plus what the person typed.</summary>
    public async Task<HttpResponseMessage> PostAsync(string handler, IDictionary<string, string> typed)
    {
        var form = HiddenFields(handler);
        foreach (var (name, value) in typed)
        {
            form[name] = value;
        }

        form["_handler"] = handler;
        form["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(html);
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
    }

    /// <summary>The hidden inputs inside the form with this @formname (Blazor renders it as a hidden _handler input).</summary>
    private Dictionary<string, string> HiddenFields(string handler)
    {
        var marker = $"name=\"_handler\" value=\"{handler}\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"No form '{handler}' on {path}.");
        }

        var end = html.IndexOf("</form>", start, StringComparison.Ordinal);
        return HiddenInput().Matches(html[start..end])
            .Where(m => m.Groups["name"].Value is not ("_handler" or "__RequestVerificationToken"))
            .ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
    }

    public static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>A second active account with a role, so two people of the same kind can edit at once.</summary>
    public static async Task CreateUserAsync(FgcWebFactory factory, string email, string role)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        var user = new FgcUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, IsActive = true };
        (await users.CreateAsync(user, SignInExtensions.DemoPassword)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
