using System.Net;
using System.Text.RegularExpressions;

namespace FgcReturns.TestSupport;

public static partial class SignInExtensions
{
    public const string DemoPassword = "Demo-Passw0rd!";

    /// <summary>Signs in through the real sign-in form, antiforgery token included; the client keeps the cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = DemoPassword)
    {
        var form = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        var token = AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content);
    }

    public static async Task<HttpClient> SignedInAsync(this HttpClient client, string email)
    {
        var response = await client.SignInAsync(email);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed with {(int)response.StatusCode}.");
        }

        return client;
    }

    public static string AntiforgeryToken(string html) =>
        AntiforgeryPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
