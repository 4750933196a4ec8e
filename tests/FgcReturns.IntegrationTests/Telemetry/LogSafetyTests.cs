using System.Text.RegularExpressions;
using FgcReturns.Core;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace FgcReturns.IntegrationTests.Telemetry;

/// <summary>
/// Every log line of a realistic journey, at Debug for every category (more than production logs), is free of
/// passwords, one-time link tokens, email bodies, cookies, antiforgery tokens and answers from a return.
/// </summary>
public sealed partial class LogSafetyTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private const string WrongPassword = "Wrong-Horse-Battery-7731";
    private const string TypedFte = "731.86";
    private const string TypedOffered = "97531";
    private const string UploadedAccepted = "86420";

    private readonly string emails = Path.Combine(Path.GetTempPath(), "fgc-log-safety-" + Guid.NewGuid().ToString("N"));
    private readonly CapturingLoggerProvider logs = new();
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Email:PickupDirectory"] = emails,
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug",
            ["Logging:LogLevel:Hangfire"] = "Debug",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        });
        factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        if (Directory.Exists(emails))
        {
            Directory.Delete(emails, recursive: true);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Journey_SignInSaveUploadInvite_NoSecretOrAnswerInAnyLogLine()
    {
        // Arrange: secrets and values the journey will hold.
        var secrets = new List<(string What, string Value)>
        {
            ("wrong password", WrongPassword),
            ("password", SignInExtensions.DemoPassword),
            ("typed answer", TypedFte),
            ("typed answer", TypedOffered),
            ("uploaded answer", UploadedAccepted),
        };

        // Act: a wrong password, then the right one; the antiforgery token and cookies they carry.
        var client = factory.CreateBrowserlessClient();
        var signInPage = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative), Ct);
        secrets.Add(("antiforgery token", SignInExtensions.AntiforgeryToken(signInPage)));
        await client.SignInAsync(TestData.Users.MedwayLead, WrongPassword);
        var signedIn = await client.SignInAsync(TestData.Users.MedwayLead);
        secrets.AddRange(CookieValues(signedIn).Select(v => ("cookie", v)));
        (await client.GetAsync(new Uri("/", UriKind.Relative), Ct)).EnsureSuccessStatusCode();

        // Act: answers typed into the form and a file uploaded and confirmed.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var saved = await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id,
            [
                new ValueChange("coordinators_fte", StoredAnswer.Unanswered, StoredAnswer.Of(TypedFte)),
                new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of(TypedOffered)),
            ], ChangeSource.Form, Ct));
        saved.Status.ShouldBe(OutcomeStatus.Done);
        var csv = System.Text.Encoding.UTF8.GetBytes($"item_key,value\nfamilies_accepted,{UploadedAccepted}\n");
        var check = await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s => s.CheckAsync(lead, ret.Id, new MemoryStream(csv), "medway.csv", csv.Length, Ct));
        var applied = await factory.WithServiceAsync<ReturnUploadService, SaveOutcome>(s => s.ApplyAsync(lead, ret.Id, check.UploadId!.Value, Ct));
        applied.Status.ShouldBe(OutcomeStatus.Done);

        // Act: an administrator invites someone; the invitee opens the one-time link.
        var admin = await factory.PrincipalAsync(TestData.Users.Administrator);
        var invited = await factory.WithServiceAsync<UserAdminService, Outcome<string>>(s =>
            s.InviteAsync(admin, "log.safety@medway.example", "Logan Safety", new UserAccess(Roles.LaDataLead, TestData.Medway), Ct));
        invited.Succeeded.ShouldBeTrue();
        var email = Directory.GetFiles(emails, "*.eml").Select(f => MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Any(b => b.Address == "log.safety@medway.example"));
        var body = email.TextBody ?? "";
        var token = Uri.UnescapeDataString(TokenPattern().Match(body).Groups[1].Value);
        token.ShouldNotBeEmpty();
        secrets.Add(("one-time link token", token));
        secrets.Add(("one-time link token (as in a URL)", Uri.EscapeDataString(token)));
        secrets.AddRange(body.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 30).Select(l => ("email body", l)));
        (await factory.CreateBrowserlessClient().GetAsync(new Uri("/account/set-password?token=" + Uri.EscapeDataString(token), UriKind.Relative), Ct)).EnsureSuccessStatusCode();

        // Assert
        var lines = logs.Lines.ToList();
        lines.Count.ShouldBeGreaterThan(20); // the capture really saw the journey
        var leaks = (from line in lines
                     from secret in secrets
                     where CapturingLoggerProvider.Reveals(line, secret.Value)
                     select $"{secret.What} in: {line[..Math.Min(line.Length, 300)]}").Distinct().ToList();
        leaks.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Debug Router[1]: Navigating to component Home | TraceId=4bf92f3577b34da6a3ce929d0e0e4736", "4da6a")]
    [InlineData("Debug Router[1]: Navigating | SpanId=00f0675319753100 | ConnectionId=0HNH97531AB", "97531")]
    public void Reveals_ValueOnlyInsideARandomId_IsNoLeak(string line, string value)
    {
        CapturingLoggerProvider.Reveals(line, value).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Information Microsoft.EntityFrameworkCore.Database.Command[20101]: Executed DbCommand (3ms) [Parameters=[@p0='97531'], CommandType='Text']", "97531")]
    [InlineData("Debug FgcReturns.Core.Returns.ReturnService[0]: Saved | families_offered=97531", "97531")]
    [InlineData("Debug Circuit[5]: {\"value\":\"731.86\"} | SpanId=00f06753197531aa", "731.86")]
    [InlineData("97531", "97531")]
    [InlineData("Warning Sign-in[3]: failed for Wrong-Horse-Battery-7731.", "Wrong-Horse-Battery-7731")]
    public void Reveals_ValueSetApartInALine_IsALeak(string line, string value)
    {
        CapturingLoggerProvider.Reveals(line, value).ShouldBeTrue();
    }

    private static IEnumerable<string> CookieValues(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Select(c => c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..]).Where(v => v.Length > 16)
            : [];

    [GeneratedRegex(@"/account/set-password\?token=([A-Za-z0-9_%\-]+)")]
    private static partial Regex TokenPattern();
}
