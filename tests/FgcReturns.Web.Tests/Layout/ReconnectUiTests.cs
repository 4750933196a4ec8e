using Bunit;
using FgcReturns.Web.Components.Layout;

namespace FgcReturns.Web.Tests.Layout;

public sealed class ReconnectUiTests : BunitContext
{
    private static string Words(AngleSharp.Dom.IElement element) => System.Text.RegularExpressions.Regex.Replace(element.TextContent, @"\s+", " ");

    [Fact]
    public void Render_EveryState_SaysWhatHappenedAndWhatToDoInPlainWords()
    {
        // Act
        var cut = Render<ReconnectUi>();

        // Assert: Blazor shows one paragraph per state; each says what happened, that saved work is safe, and what to do.
        cut.Find("#components-reconnect-modal").ShouldNotBeNull();
        var reconnecting = cut.Find(".app-reconnect__reconnecting");
        reconnecting.GetAttribute("role").ShouldBe("status");
        Words(reconnecting).ShouldContain("You've lost your connection to the service.");
        Words(reconnecting).ShouldContain("Everything you saved before this message appeared is safe.");
        var failed = cut.Find(".app-reconnect__failed");
        Words(failed).ShouldContain("We could not reconnect you to the service.");
        failed.QuerySelector("button[data-app-reconnect-retry]")!.TextContent.Trim().ShouldBe("Try again");
        var rejected = cut.Find(".app-reconnect__rejected");
        Words(rejected).ShouldContain("You've been disconnected from the service.");
        Words(rejected).ShouldContain("when the service is updated or restarted");
        rejected.QuerySelector("a.govuk-link")!.TextContent.ShouldBe("Reload the page");
    }
}
