using System.Net;
using System.Text.RegularExpressions;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using MimeKit;

namespace FgcReturns.IntegrationTests.Review;

/// <summary>A web host on a fresh database whose emails go to its own folder, and steps that move a return along.</summary>
public sealed partial class ReviewHost : IAsyncDisposable
{
    private ReviewHost(FgcWebFactory factory, string emailDirectory)
    {
        Factory = factory;
        EmailDirectory = emailDirectory;
    }

    public FgcWebFactory Factory { get; }

    public string EmailDirectory { get; }

    public static async Task<ReviewHost> StartAsync(DatabaseServerFixture database)
    {
        var emails = Path.Combine(Path.GetTempPath(), "fgc-emails-" + Guid.NewGuid().ToString("N")[..12]);
        var factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Email:PickupDirectory"] = emails,
            ["Email:PortalBaseUrl"] = "https://fgc.test",
        });
        _ = factory.Services;
        return new ReviewHost(factory, emails);
    }

    /// <summary>Medway fills in a valid return (against a matching previous year, so no queries) and submits it.</summary>
    public async Task<LaReturn> SubmitValidReturnAsync(string laCode = TestData.Medway, string lead = TestData.Users.MedwayLead, Action<ReturnValuesBuilder>? change = null)
    {
        await Factory.SetPreviousYearAsync(laCode, ReturnValuesBuilder.PreviousFgc10().Build());
        var principal = await Factory.PrincipalAsync(lead);
        var ret = await Factory.OpenReturnAsync(laCode);
        var builder = ReturnValuesBuilder.ValidFgc10();
        change?.Invoke(builder);
        var current = ret.Values;
        var changes = builder.Build().Select(kv => new ValueChange(kv.Key, StoredAnswer.From(current, kv.Key), kv.Value is null ? StoredAnswer.NotRecorded : StoredAnswer.Of(kv.Value))).ToList();
        var saved = await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(principal, ret.Id, changes, ChangeSource.Form));
        saved.Status.ShouldBe(OutcomeStatus.Done, saved.Message);
        var submitted = await Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(principal, ret.Id, "Sam Head", "Head of Service"));
        submitted.Succeeded.ShouldBeTrue(submitted.Message);
        return await Factory.OpenReturnAsync(laCode);
    }

    public async Task<Outcome> AsAnalystAsync(Func<ReturnReviewService, System.Security.Claims.ClaimsPrincipal, Task<Outcome>> action, string email = TestData.Users.Analyst)
    {
        var analyst = await Factory.PrincipalAsync(email);
        return await Factory.WithServiceAsync<ReturnReviewService, Outcome>(s => action(s, analyst));
    }

    /// <summary>Every email written so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Emails() =>
        Directory.Exists(EmailDirectory)
            ? Directory.GetFiles(EmailDirectory, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList()
            : [];

    /// <summary>The token in the set-password link of the newest email to this address.</summary>
    public string LinkTokenFor(string address)
    {
        var email = Emails().Last(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)));
        var match = TokenPattern().Match(email.TextBody ?? "");
        match.Success.ShouldBeTrue("No set-password link in: " + email.TextBody);
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Posts a Blazor form (named handler) from a page fetched with the same client, antiforgery token included.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string handler, IDictionary<string, string> fields, string? tokenFromUrl = null)
    {
        var page = await client.GetStringAsync(new Uri(tokenFromUrl ?? url, UriKind.Relative));
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(page),
        };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    public static async Task<string> BodyAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (Directory.Exists(EmailDirectory))
        {
            Directory.Delete(EmailDirectory, recursive: true);
        }
    }

    [GeneratedRegex(@"/account/set-password\?token=([A-Za-z0-9_%\-]+)")]
    private static partial Regex TokenPattern();
}
