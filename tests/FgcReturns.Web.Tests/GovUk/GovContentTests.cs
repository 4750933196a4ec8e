using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovContentTests : BunitContext
{
    [Fact]
    public void Button_Secondary_MatchesFixtureWithDoubleClickGuard()
    {
        var cut = Render<GovButton>(p => p
            .Add(x => x.Text, "Save as draft")
            .Add(x => x.Variant, GovButtonVariant.Secondary));

        cut.MarkupMatches("""
            <button type="submit" class="govuk-button govuk-button--secondary" data-prevent-double-click="true" data-module="govuk-button">Save as draft</button>
            """);
    }

    [Fact]
    public void Button_WithHref_RendersLinkButton()
    {
        var cut = Render<GovButton>(p => p.Add(x => x.Text, "Start now").Add(x => x.Href, "/returns/1"));

        // dist/govuk/components/button/template-link.html
        cut.MarkupMatches("""
            <a href="/returns/1" role="button" draggable="false" class="govuk-button" data-module="govuk-button">Start now</a>
            """);
    }

    [Fact]
    public async Task Button_Interactive_IgnoresSecondClickWhileFirstIsRunning()
    {
        var calls = 0;
        var gate = new TaskCompletionSource();
        var cut = Render<GovButton>(p => p
            .Add(x => x.Text, "Submit")
            .Add(x => x.Type, "button")
            .Add(x => x.OnClick, async () =>
            {
                calls++;
                await gate.Task;
            }));

        var first = cut.Find("button").ClickAsync(new());
        await cut.Find("button").ClickAsync(new());
        gate.SetResult();
        await first;

        calls.ShouldBe(1);
    }

    [Fact]
    public void NotificationBanner_Success_UsesAlertRole()
    {
        var cut = Render<GovNotificationBanner>(p => p
            .Add(x => x.Type, GovNotificationBannerType.Success)
            .Add(x => x.Heading, "Return submitted"));

        // dist/govuk/components/notification-banner/template-with-type-as-success.html
        cut.MarkupMatches("""
            <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="govuk-notification-banner-title" data-module="govuk-notification-banner">
              <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">Success</h2>
              </div>
              <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">Return submitted</p>
              </div>
            </div>
            """);
    }

    [Fact]
    public void NotificationBanner_Default_IsRegionTitledImportant()
    {
        var cut = Render<GovNotificationBanner>(p => p.Add(x => x.Heading, "The deadline is 31 May"));

        var banner = cut.Find(".govuk-notification-banner");
        banner.GetAttribute("role").ShouldBe("region");
        cut.Find(".govuk-notification-banner__title").TextContent.ShouldBe("Important");
    }

    [Fact]
    public void WarningText_Panel_Tag_Details_MatchFixtures()
    {
        Render<GovWarningText>(p => p.AddChildContent("You cannot change a submitted return.")).MarkupMatches("""
            <div class="govuk-warning-text">
              <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
              <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">Warning</span>
                You cannot change a submitted return.
              </strong>
            </div>
            """);

        Render<GovPanel>(p => p.Add(x => x.Title, "Return submitted").AddChildContent("Reference <strong>FGC-1</strong>")).MarkupMatches("""
            <div class="govuk-panel govuk-panel--confirmation">
              <h1 class="govuk-panel__title">Return submitted</h1>
              <div class="govuk-panel__body">Reference <strong>FGC-1</strong></div>
            </div>
            """);

        Render<GovTag>(p => p.Add(x => x.Text, "Grey").Add(x => x.Colour, GovTagColour.Grey)).MarkupMatches("""
            <strong class="govuk-tag govuk-tag--grey">Grey</strong>
            """);

        Render<GovDetails>(p => p.Add(x => x.Summary, "Help with counts").AddChildContent("Count each family once.")).MarkupMatches("""
            <details class="govuk-details">
              <summary class="govuk-details__summary"><span class="govuk-details__summary-text">Help with counts</span></summary>
              <div class="govuk-details__text">Count each family once.</div>
            </details>
            """);
    }
}
