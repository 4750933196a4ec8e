using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovTaskListTests : BunitContext
{
    [Fact]
    public void Render_Statuses_MatchGovukFixture()
    {
        var cut = Render<GovTaskList>(p => p.Add(x => x.Items,
        [
            new GovTaskListItem("Company Directors", "#", "Completed"),
            new GovTaskListItem("Registered company details", "#", "Not started", StatusTag: GovTagColour.Teal),
            new GovTaskListItem("Business plan", "#", "Review", Hint: "Ensure the plan covers objectives.", StatusTag: GovTagColour.Magenta),
            new GovTaskListItem("Payment", null, "Cannot start yet", Hint: "It will cost between £15 and £75"),
        ]));

        // Adapted from dist/govuk/components/task-list/template-with-hint-text-and-additional-states.html
        cut.MarkupMatches("""
            <ul class="govuk-task-list">
              <li class="govuk-task-list__item govuk-task-list__item--with-link">
                <div class="govuk-task-list__name-and-hint">
                  <a class="govuk-link govuk-task-list__link" href="#" aria-describedby="task-list-1-status">Company Directors</a>
                </div>
                <div class="govuk-task-list__status" id="task-list-1-status">Completed</div>
              </li>
              <li class="govuk-task-list__item govuk-task-list__item--with-link">
                <div class="govuk-task-list__name-and-hint">
                  <a class="govuk-link govuk-task-list__link" href="#" aria-describedby="task-list-2-status">Registered company details</a>
                </div>
                <div class="govuk-task-list__status" id="task-list-2-status">
                  <strong class="govuk-tag govuk-tag--teal">Not started</strong>
                </div>
              </li>
              <li class="govuk-task-list__item govuk-task-list__item--with-link">
                <div class="govuk-task-list__name-and-hint">
                  <a class="govuk-link govuk-task-list__link" href="#" aria-describedby="task-list-3-hint task-list-3-status">Business plan</a>
                  <div id="task-list-3-hint" class="govuk-task-list__hint">Ensure the plan covers objectives.</div>
                </div>
                <div class="govuk-task-list__status" id="task-list-3-status">
                  <strong class="govuk-tag govuk-tag--magenta">Review</strong>
                </div>
              </li>
              <li class="govuk-task-list__item">
                <div class="govuk-task-list__name-and-hint">
                  <div>Payment</div>
                  <div id="task-list-4-hint" class="govuk-task-list__hint">It will cost between £15 and £75</div>
                </div>
                <div class="govuk-task-list__status govuk-task-list__status--cannot-start-yet" id="task-list-4-status">Cannot start yet</div>
              </li>
            </ul>
            """);
    }
}
