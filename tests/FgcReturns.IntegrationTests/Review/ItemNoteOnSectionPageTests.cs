using FgcReturns.Core;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;

namespace FgcReturns.IntegrationTests.Review;

public sealed class ItemNoteOnSectionPageTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() => factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task SectionPage_AnalystNoteOnAnItem_IsShownToTheLaBesideThatSectionOnly()
    {
        // Arrange
        var analyst = await factory.PrincipalAsync(TestData.Users.Analyst);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var added = await factory.WithServiceAsync<ReturnReviewService, Outcome>(s => s.AddNoteAsync(analyst, ret.Id, "families_offered", "Last year you counted children here, not families."));
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);

        // Act
        var offers = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/sections/offers", UriKind.Relative), TestContext.Current.CancellationToken);
        var referrals = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/sections/referrals", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        added.Succeeded.ShouldBeTrue(added.Message);
        offers.ShouldContain("Notes from the national team");
        offers.ShouldContain("Last year you counted children here, not families.");
        referrals.ShouldNotContain("Last year you counted children here");
    }
}
