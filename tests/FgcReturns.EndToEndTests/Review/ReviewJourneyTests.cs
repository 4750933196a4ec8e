using System.Text.RegularExpressions;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.Playwright;

namespace FgcReturns.EndToEndTests.Review;

public sealed class ReviewJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task ReviewReturn_SentBackAmendedAndResubmitted_IsAccepted()
    {
        // Arrange: Leicestershire has submitted a complete return.
        await portal.Factory.SetPreviousYearAsync("855", ReturnValuesBuilder.PreviousFgc10().Build());
        var lead = await portal.Factory.PrincipalAsync(TestData.Users.LeicestershireLead);
        var ret = await portal.Factory.OpenReturnAsync("855");
        await portal.Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form));
        (await portal.Factory.WithServiceAsync<ReturnService, Outcome<ReturnSubmission>>(s => s.SubmitAsync(lead, ret.Id, "Jo Lead", "Service Manager"))).Succeeded.ShouldBeTrue();
        var violations = new List<string>();
        var analyst = await portal.NewPageAsync();
        await analyst.SignInAsync(TestData.Users.Analyst);

        // Act: the analyst filters the chase list to submitted returns and opens Leicestershire's.
        await analyst.GotoAsync($"/collections/{ret.CollectionId}");
        await analyst.GetByLabel("Submitted", new() { Exact = true }).CheckAsync();
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Assertions.Expect(analyst).ToHaveURLAsync(new Regex("status=Submitted"));
        var reviewLinks = analyst.Locator("main a[href^='/review/']");
        await Assertions.Expect(reviewLinks).ToHaveCountAsync(1);
        violations.AddRange(await analyst.AccessibilityViolationsAsync());
        await reviewLinks.ClickAsync();
        await Assertions.Expect(analyst.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Leicestershire");
        violations.AddRange(await analyst.AccessibilityViolationsAsync());

        // The analyst sends it back with a comment.
        await analyst.GetByLabel("Return it to the local authority for amendment").CheckAsync();
        await analyst.GetByLabel("What the local authority needs to change").FillAsync("Please check review FGCs held: 20 looks low for your service.");
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }).ClickAsync();
        await Assertions.Expect(analyst.Locator("main")).ToContainTextAsync("Returned for amendment");

        // The LA data lead sees the comment, amends and resubmits.
        var la = await portal.NewPageAsync();
        await la.SignInAsync(TestData.Users.LeicestershireLead);
        await Assertions.Expect(la.Locator("main")).ToContainTextAsync("Please check review FGCs held");
        await la.GotoAsync($"/returns/{ret.Id}");
        await Assertions.Expect(la.Locator(".govuk-notification-banner")).ToContainTextAsync("Please check review FGCs held");
        await la.GotoAsync($"/returns/{ret.Id}/sections/conferences");
        await la.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var status = la.Locator("#save-status");
        var before = await status.GetAttributeAsync("data-save-count");
        await la.Locator("#review_fgcs_held").FillAsync("26");
        await la.Locator("#review_fgcs_held").PressAsync("Tab");
        await Assertions.Expect(status).Not.ToHaveAttributeAsync("data-save-count", before!);
        await la.GotoAsync($"/returns/{ret.Id}/check");
        await la.GetByLabel("Full name of the person who approved the figures").FillAsync("Jo Lead");
        await la.GetByLabel("Their job title").FillAsync("Service Manager");
        await la.GetByRole(AriaRole.Button, new() { Name = "Accept and submit return" }).ClickAsync();
        await Assertions.Expect(la.Locator(".govuk-panel__body")).ToContainTextAsync("FGC-202526-855-2");

        // The analyst accepts version 2.
        await analyst.GotoAsync($"/review/{ret.Id}");
        await analyst.GetByLabel("Accept the return").CheckAsync();
        await analyst.GetByRole(AriaRole.Button, new() { Name = "Confirm decision" }).ClickAsync();

        // Assert
        await Assertions.Expect(analyst.Locator("main")).ToContainTextAsync("Accepted");
        var accepted = await portal.Factory.OpenReturnAsync("855");
        accepted.Status.ShouldBe(ReturnStatus.Accepted);
        accepted.SubmittedVersion.ShouldBe(2);
        accepted.Values["review_fgcs_held"].ShouldBe("26");
        violations.AddRange(await analyst.AccessibilityViolationsAsync());
        violations.ShouldBeEmpty();
    }
}
