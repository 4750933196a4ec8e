using System.Net;
using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Foundation;

public sealed class AccessTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task LocalAuthorityPage_AnotherLasCode_IsNotFound()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);

        // Act
        var own = await client.GetAsync(new Uri("/local-authorities/887", UriKind.Relative), TestContext.Current.CancellationToken);
        var other = await client.GetAsync(new Uri("/local-authorities/856", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await own.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Medway");
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await other.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldContain("Page not found");
        body.ShouldNotContain("Leicester");
    }

    [Fact]
    public async Task LocalAuthorityPage_Analyst_SeesAnyLa()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var response = await client.GetAsync(new Uri("/local-authorities/856", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Leicester");
    }

    [Theory]
    [InlineData(TestData.Users.MedwayLead)]
    [InlineData(TestData.Users.Analyst)]
    public async Task JobsDashboard_NotAnAdministrator_IsForbidden(string email)
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(email);

        // Act
        var response = await client.GetAsync(new Uri("/admin/jobs", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task JobsDashboard_Administrator_IsShown()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.Administrator);

        // Act
        var response = await client.GetAsync(new Uri("/admin/jobs", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("FGC Returns jobs");
    }

    [Fact]
    public async Task JobsDashboard_Anonymous_RedirectsToSignIn()
    {
        // Arrange
        var client = app.Factory.CreateBrowserlessClient();

        // Act
        var response = await client.GetAsync(new Uri("/admin/jobs", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/sign-in");
    }

    [Fact]
    public async Task AnalystPage_LaDataLead_IsForbidden()
    {
        // Arrange
        var client = await app.Factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.LeicesterLead);

        // Act
        var response = await client.GetAsync(new Uri("/local-authorities", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("You do not have access to this page");
    }
}
