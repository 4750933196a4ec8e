using System.Net;
using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Foundation;

public sealed class SignInTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task SignIn_DataLead_HomeShowsTheirLa()
    {
        // Arrange
        var client = app.Factory.CreateBrowserlessClient();

        // Act
        var signIn = await client.SignInAsync(TestData.Users.LeicestershireLead);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.ShouldContain("<h1 class=\"govuk-heading-xl\">Leicestershire</h1>");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorSummaryAndStaysSignedOut()
    {
        // Arrange
        var client = app.Factory.CreateBrowserlessClient();

        // Act
        var response = await client.SignInAsync(TestData.Users.LeicesterLead, "not-the-password");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("There is a problem");
        body.ShouldContain("Enter a correct email address and password");
        home.ShouldContain("Sign in");
        home.ShouldNotContain("Leicester");
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountWithoutSayingItExists()
    {
        // Arrange: analysts are not used elsewhere in this class, so locking one is safe.
        var client = app.Factory.CreateBrowserlessClient();
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync(TestData.Users.Analyst, "wrong-password-" + i);
        }

        // Act
        var response = await client.SignInAsync(TestData.Users.Analyst);

        // Assert: the right password no longer works, and the message is the one anyone gets.
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        page.ShouldContain(FgcReturns.Web.Components.Account.SignIn.FailedMessage);
        page.ShouldNotContain("locked");
    }

    [Fact]
    public async Task SignOut_SignedIn_EndsTheSession()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(home),
            ["returnUrl"] = "/",
        });

        // Act
        var signOut = await client.PostAsync(new Uri("/account/sign-out", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var after = await client.GetAsync(new Uri("/local-authorities/887", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.ToString().ShouldBe("/account/signed-out");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.ToString().ShouldContain("/account/sign-in");
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" });

        // Act
        var response = await client.PostAsync(new Uri("/account/sign-out", UriKind.Relative), form, TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
