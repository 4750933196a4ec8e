using System.Net;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.IntegrationTests.Review;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>One host with each role signed in once (sign-in is rate-limited per host).</summary>
public sealed class SecurityFixture(DatabaseServerFixture database) : IAsyncLifetime
{
    public FgcWebFactory Factory { get; private set; } = null!;

    public HttpClient Medway { get; private set; } = null!;

    public HttpClient Analyst { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Medway's own return in the open collection.</summary>
    public int OwnReturnId { get; private set; }

    /// <summary>Leicester's return: another LA's, as far as Medway is concerned.</summary>
    public int OtherReturnId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        OwnReturnId = (await Factory.OpenReturnAsync(TestData.Medway)).Id;
        OtherReturnId = (await Factory.OpenReturnAsync("856")).Id;
        Medway = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        Analyst = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);
        Admin = await Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);
    }

    public async ValueTask DisposeAsync()
    {
        Medway?.Dispose();
        Analyst?.Dispose();
        Admin?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
    }
}

public sealed class AccessControlTests(SecurityFixture app) : IClassFixture<SecurityFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Analyst and administrator pages, APIs and downloads; {own} is the data lead's own return.</summary>
    public static TheoryData<string> NationalUrls =>
    [
        "/review/{own}",
        "/review/{own}/history",
        "/review/{own}/compare?from=1&to=2",
        "/admin/users",
        "/admin/users/invite",
        "/admin/users/some-user-id",
        "/admin/jobs",
        "/definitions",
        "/definitions/fgc-annual/1.0",
        "/definitions/fgc-annual/compare?from=1.0&to=1.1",
        "/definitions/fgc-annual/1.0/specification.xlsx",
        "/local-authorities",
    ];

    /// <summary>Every way to reach a return by its id; {other} is another LA's return.</summary>
    public static TheoryData<string> OtherLaReturnUrls =>
    [
        "/returns/{other}",
        "/returns/{other}/sections/offers",
        "/returns/{other}/check",
        "/returns/{other}/template.xlsx",
        "/returns/{other}/history",
        "/returns/{other}/versions/1",
        "/returns/{other}/submitted/1",
        "/returns/{other}/upload",
        "/returns/{other}/upload/6f9619ff-8b86-d011-b42d-00c04fc964ff",
    ];

    [Theory]
    [MemberData(nameof(NationalUrls))]
    public async Task LaDataLead_AnalystOrAdminUrl_IsForbidden(string url)
    {
        // Act
        var response = await app.Medway.GetAsync(Url(url), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/collections")]
    [InlineData("/collections/1")]
    public async Task LaDataLead_AnalystUrlsOfOtherFeatures_AreNeverServed(string url)
    {
        // Collections pages are built on another branch: until they merge these give 404; after, they must give 403.
        var response = await app.Medway.GetAsync(Url(url), Ct);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(NationalUrls))]
    public async Task Administrator_AnalystOrAdminUrl_IsNotForbidden(string url)
    {
        // Act
        var response = await app.Admin.GetAsync(Url(url), Ct);

        // Assert: the pages exist and the administrator may see them (a missing user or version is a plain 404).
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
        if (!url.Contains("some-user-id", StringComparison.Ordinal) && !url.Contains("compare?from=1&to=2", StringComparison.Ordinal))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Theory]
    [MemberData(nameof(OtherLaReturnUrls))]
    public async Task LaDataLead_AnotherLasReturnByEditingTheId_IsNotFound(string url)
    {
        // Act
        var response = await app.Medway.GetAsync(Url(url), Ct);
        var own = await app.Medway.GetAsync(Url(url.Replace("{other}", "{own}", StringComparison.Ordinal)), Ct);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Leicester");
        own.StatusCode.ShouldNotBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task LaDataLead_PostsSubmitFormWithAnotherLasReturnId_IsNotFoundAndNothingIsSubmitted()
    {
        // Arrange: a valid form and antiforgery token from Medway's own check page.
        var page = await app.Medway.GetStringAsync(Url("/returns/{own}/check"), Ct);
        var token = SignInExtensions.AntiforgeryToken(page);

        // Act
        var submit = await PostAsync(app.Medway, "/returns/{other}/check", new()
        {
            ["_handler"] = "submit",
            ["__RequestVerificationToken"] = token,
            ["Declaration.Name"] = "Sam Head",
            ["Declaration.Role"] = "Head of Service",
        });
        var reopen = await PostAsync(app.Medway, "/returns/{other}/check", new()
        {
            ["_handler"] = "reopen",
            ["__RequestVerificationToken"] = token,
        });
        var review = await PostAsync(app.Medway, "/review/{other}", new()
        {
            ["_handler"] = "review-action",
            ["__RequestVerificationToken"] = token,
            ["Form.Decision"] = "accept",
        });

        // Assert: refused before anything runs. The page renders "not found", so Blazor has no form of that name to
        // dispatch to and answers 400; ReturnService refuses too (NotFound) if a handler ever runs.
        submit.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        reopen.StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.BadRequest);
        (await submit.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Leicester");
        review.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var other = await app.Factory.OpenReturnAsync("856");
        other.Status.ShouldBe(ReturnStatus.NotStarted);
        (await app.Factory.WithDbAsync(db => db.ReturnSubmissions.CountAsync(s => s.ReturnId == app.OtherReturnId, Ct))).ShouldBe(0);
        (await app.Factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == app.OtherReturnId, Ct))).ShouldBe(0);
    }

    [Fact]
    public async Task Analyst_CannotManageUsers_AdministratorCan()
    {
        // Arrange: a valid antiforgery token for the analyst, from a page they may see.
        var token = SignInExtensions.AntiforgeryToken(await app.Analyst.GetStringAsync(Url("/review/{own}"), Ct));

        // Act
        var list = await app.Analyst.GetAsync(Url("/admin/users"), Ct);
        var invitePage = await app.Analyst.GetAsync(Url("/admin/users/invite"), Ct);
        var invitePost = await PostAsync(app.Analyst, "/admin/users/invite", new()
        {
            ["_handler"] = "invite",
            ["__RequestVerificationToken"] = token,
            ["Form.DisplayName"] = "Sneaky",
            ["Form.Email"] = "sneaky@fgc.example",
            ["Form.Role"] = "Administrator",
        });
        var adminList = await app.Admin.GetAsync(Url("/admin/users"), Ct);

        // Assert
        list.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        invitePage.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        invitePost.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Factory.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "sneaky@fgc.example", Ct))).ShouldBeFalse();
        adminList.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private Uri Url(string template) => new(
        template.Replace("{own}", app.OwnReturnId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", app.OtherReturnId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
        UriKind.Relative);

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(Url(url), content, Ct);
    }
}
