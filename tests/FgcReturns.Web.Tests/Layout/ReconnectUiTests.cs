using Bunit;
using FgcReturns.Web.Components.Layout;

namespace FgcReturns.Web.Tests.Layout;

public sealed class ReconnectUiTests : BunitContext
{
    [Fact]
    public void Render_EveryState_SaysWhatHappenedAndWhatToDoInPlainWords()
    {
        // Act
        var cut = Render<ReconnectUi>();

        // Assert: Blazor shows one paragraph per state; each says what happened, that saved work is safe, and what to do.
        cut.Find("#components-reconnect-modal").ShouldNotBeNull();
        var reconnecting = cut.Find(".app-reconnect__reconnecting");
        reconnecting.GetAttribute("role").ShouldBe("status");
        reconnecting.TextContent.ShouldContain("You've lost your connection to the service.");
        reconnecting.TextContent.ShouldContain("Everything you saved before this message appeared is safe.");
        var failed = cut.Find(".app-reconnect__failed");
        failed.TextContent.ShouldContain("We could not reconnect you to the service.");
        failed.QuerySelector("button[data-app-reconnect-retry]")!.TextContent.Trim().ShouldBe("Try again");
        var rejected = cut.Find(".app-reconnect__rejected");
        rejected.TextContent.ShouldContain("You've been disconnected from the service.");
        rejected.TextContent.ShouldContain("when the service is updated or restarted");
        rejected.QuerySelector("a.govuk-link")!.TextContent.ShouldBe("Reload the page");
    }
}
