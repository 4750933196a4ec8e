using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovSummaryListTests : BunitContext
{
    [Fact]
    public void Render_ChangeLinks_CarryVisuallyHiddenContext()
    {
        var cut = Render<GovSummaryList>(p => p.Add(x => x.Rows,
        [
            new GovSummaryRow("Date of birth", "13/08/1980", "/change/dob"),
            new GovSummaryRow("Referrals", "12", "/change/referrals", VisuallyHiddenText: "number of referrals"),
            new GovSummaryRow("Local authority", "Camden"),
        ]));

        // Adapted from dist/govuk/components/summary-list/template-with-actions.html
        cut.MarkupMatches("""
            <dl class="govuk-summary-list">
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Date of birth</dt>
                <dd class="govuk-summary-list__value">13/08/1980</dd>
                <dd class="govuk-summary-list__actions">
                  <a class="govuk-link" href="/change/dob">Change<span class="govuk-visually-hidden"> date of birth</span></a>
                </dd>
              </div>
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">Referrals</dt>
                <dd class="govuk-summary-list__value">12</dd>
                <dd class="govuk-summary-list__actions">
                  <a class="govuk-link" href="/change/referrals">Change<span class="govuk-visually-hidden"> number of referrals</span></a>
                </dd>
              </div>
              <div class="govuk-summary-list__row govuk-summary-list__row--no-actions">
                <dt class="govuk-summary-list__key">Local authority</dt>
                <dd class="govuk-summary-list__value">Camden</dd>
              </div>
            </dl>
            """);
    }

    [Fact]
    public void Render_NoActionsAnywhere_OmitsNoActionsModifier()
    {
        var cut = Render<GovSummaryList>(p => p.Add(x => x.Rows, [new GovSummaryRow("Status", "Submitted")]));

        cut.Find(".govuk-summary-list__row").ClassList.ShouldNotContain("govuk-summary-list__row--no-actions");
        cut.FindAll(".govuk-summary-list__actions").ShouldBeEmpty();
    }
}
