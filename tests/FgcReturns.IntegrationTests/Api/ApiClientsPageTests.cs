using System.Net;
using System.Text.RegularExpressions;
using FgcReturns.Core;
using FgcReturns.Core.ApiClients;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Api;

/// <summary>The API clients page as a data lead uses it: create, copy the secret once, see last use, revoke.</summary>
public sealed partial class ApiClientsPageTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() => factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_AsMedwayLead_ShowsTheSecretOnceStoresOnlyItsHashAndTheSecretWorks()
    {
        var page = await factory.CreateBrowserlessClient().SignedInAsync(ApiTestSupport.MedwayLead);
        var form = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);

        // Post, redirect, get: the page the browser is sent to shows the secret; a reload of it does not.
        var posted = await PostAsync(page, "create", form, new() { ["Form.Name"] = "Mosaic nightly", ["Form.ExpiryMonths"] = "12" });
        var created = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);
        var reloaded = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);

        posted.ShouldNotContain("api-secret");

        created.ShouldContain("Client &#x27;Mosaic nightly&#x27; created");
        var secret = SecretPattern().Match(created).Groups[1].Value;
        secret.ShouldStartWith("fgc_");
        reloaded.ShouldContain("Mosaic nightly");
        reloaded.ShouldNotContain(secret);
        reloaded.ShouldContain("Never");
        var stored = await factory.WithDbAsync(db => db.Set<ApiClient>().AsNoTracking().SingleAsync(c => c.Name == "Mosaic nightly", Ct));
        stored.LaCode.ShouldBe(TestData.Medway);
        stored.SecretHash.ShouldBe(ApiClientService.Hash(secret));
        stored.SecretHash.ShouldNotContain(secret[4..]);
        stored.ExpiresAt.ShouldBe(factory.Clock.GetUtcNow().AddMonths(12));
        var used = await factory.ApiClient(secret).GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct);
        used.StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterUse = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);
        afterUse.ShouldNotContain(">Never<");
        var audit = await factory.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(a => a.Action == "ApiClientCreated").ToListAsync(Ct));
        audit.ShouldHaveSingleItem().UserEmail.ShouldBe(ApiTestSupport.MedwayLead);
        audit[0].Detail!.ShouldNotContain(secret);
    }

    [Fact]
    public async Task Create_WithoutName_ShowsTheErrorAndCreatesNothing()
    {
        var page = await factory.CreateBrowserlessClient().SignedInAsync(ApiTestSupport.MedwayLead);
        var form = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);

        var html = await PostAsync(page, "create", form, new() { ["Form.Name"] = " ", ["Form.ExpiryMonths"] = "12" });

        html.ShouldContain("govuk-error-summary");
        html.ShouldContain("href=\"#name\"");
        html.ShouldContain("Enter a name for the system");
        (await factory.WithDbAsync(db => db.Set<ApiClient>().CountAsync(Ct))).ShouldBe(0);
    }

    [Fact]
    public async Task Revoke_OnThePage_StopsTheSecretAtOnce()
    {
        var (client, secret) = await factory.CreateApiClientAsync(ApiTestSupport.MedwayLead);
        var page = await factory.CreateBrowserlessClient().SignedInAsync(ApiTestSupport.MedwayLead);
        var form = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);

        var html = await PostAsync(page, $"revoke-{client.Id}", form, []);
        var response = await factory.ApiClient(secret).GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct);

        html.ShouldContain("Revoked");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ClientsOfAnotherLa_AreNeitherListedNorRevocableByMedway()
    {
        var (leicesterClient, leicesterSecret) = await factory.CreateApiClientAsync(ApiTestSupport.LeicesterLead, "Leicester Liquidlogic");
        var medwayLead = await factory.PrincipalAsync(ApiTestSupport.MedwayLead);
        var page = await factory.CreateBrowserlessClient().SignedInAsync(ApiTestSupport.MedwayLead);

        var html = await page.GetStringAsync(new Uri("/api-clients", UriKind.Relative), Ct);
        var revoked = await factory.WithServiceAsync<ApiClientService, Outcome>(s => s.RevokeAsync(medwayLead, leicesterClient.Id));
        var created = await factory.WithServiceAsync<ApiClientService, Outcome<NewApiClient>>(s => s.CreateAsync(medwayLead, "856", "Sneaky", 12));

        html.ShouldNotContain("Leicester Liquidlogic");
        revoked.Status.ShouldBe(OutcomeStatus.NotFound);
        created.Value!.Client.LaCode.ShouldBe(TestData.Medway);
        (await factory.ApiClient(leicesterSecret).GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Page_AsAnalyst_IsForbidden()
    {
        var page = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        var response = await page.GetAsync(new Uri("/api-clients", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ReferencePage_DocumentsEveryProblemTypeTheApiAnswers()
    {
        var html = await factory.CreateBrowserlessClient().GetStringAsync(new Uri("/api/reference", UriKind.Relative), Ct);

        foreach (var type in typeof(ApiProblemTypes).GetFields().Select(f => (string)f.GetValue(null)!))
        {
            html.ShouldContain($"id=\"problem-{type}\"");
        }

        html.ShouldContain("/openapi/v1.json");
        html.ShouldContain("PATCH /api/v1/returns/{returnId}/values");
    }

    private static async Task<string> PostAsync(HttpClient page, string handler, string form, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(fields);
        var response = await page.PostAsync(new Uri("/api-clients", UriKind.Relative), content, Ct);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [GeneratedRegex("id=\"api-secret\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex SecretPattern();
}
