using Bunit;
using FgcReturns.Web.Components.GovUk;
using Microsoft.AspNetCore.Components;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovErrorSummaryTests : BunitContext
{
    private static readonly IReadOnlyList<GovError> TwoErrors =
    [
        GovError.ForField("referrals_total", "Enter the number of referrals"),
        new GovError("Enter a date in the past", "#meeting-date"),
    ];

    private int FocusCalls() =>
        JSInterop.Invocations.Count(i => i.Identifier == "Blazor._internal.domWrapper.focus");

    [Fact]
    public void Render_Static_MatchesGovukFixture()
    {
        SetRendererInfo(new RendererInfo("Static", false));

        var cut = Render<GovErrorSummary>(p => p.Add(x => x.Errors, TwoErrors));

        // dist/govuk/components/error-summary/template-default.html
        cut.MarkupMatches("""
            <div class="govuk-error-summary" data-module="govuk-error-summary">
              <div role="alert">
                <h2 class="govuk-error-summary__title">There is a problem</h2>
                <div class="govuk-error-summary__body">
                  <ul class="govuk-list govuk-error-summary__list">
                    <li><a href="#referrals_total">Enter the number of referrals</a></li>
                    <li><a href="#meeting-date">Enter a date in the past</a></li>
                  </ul>
                </div>
              </div>
            </div>
            """);
        FocusCalls().ShouldBe(0);
    }

    [Fact]
    public void Render_NoErrors_RendersNothing()
    {
        SetRendererInfo(new RendererInfo("Static", false));

        var cut = Render<GovErrorSummary>();

        cut.Markup.Trim().ShouldBeEmpty();
    }

    [Fact]
    public void Interactive_FocusesItselfWhenErrorsAppear_AndAgainForANewList()
    {
        SetRendererInfo(new RendererInfo("Server", true));
        JSInterop.Mode = JSRuntimeMode.Loose;

        var cut = Render<GovErrorSummary>();
        FocusCalls().ShouldBe(0);

        cut.Render(p => p.Add(x => x.Errors, TwoErrors));
        cut.Find(".govuk-error-summary").GetAttribute("tabindex").ShouldBe("-1");
        FocusCalls().ShouldBe(1);

        cut.Render(p => p.Add(x => x.Title, "There is a problem"));
        FocusCalls().ShouldBe(1);

        cut.Render(p => p.Add(x => x.Errors, [.. TwoErrors]));
        FocusCalls().ShouldBe(2);
    }
}
