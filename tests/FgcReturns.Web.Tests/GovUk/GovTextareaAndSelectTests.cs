using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovTextareaAndSelectTests : BunitContext
{
    [Fact]
    public void Textarea_WithError_MatchesGovukFixture()
    {
        string? value = null;

        var cut = Render<GovTextarea>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "no-ni-reason")
            .Add(x => x.Label, "Why can’t you provide a National Insurance number?")
            .Add(x => x.ErrorMessage, "You must provide an explanation")
            .AddUnmatched("name", "no-ni-reason"));

        // dist/govuk/components/textarea/template-with-error-message.html
        cut.MarkupMatches("""
            <div class="govuk-form-group govuk-form-group--error">
              <label class="govuk-label" for="no-ni-reason">Why can’t you provide a National Insurance number?</label>
              <p id="no-ni-reason-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">Error:</span> You must provide an explanation
              </p>
              <textarea class="govuk-textarea govuk-textarea--error" id="no-ni-reason" name="no-ni-reason" rows="5" aria-describedby="no-ni-reason-error"></textarea>
            </div>
            """);
    }

    [Fact]
    public void Select_MarksCurrentOptionSelected_AndUpdatesOnChange()
    {
        string? value = "2";

        var cut = Render<GovSelect>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, v => value = v)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "region")
            .Add(x => x.Label, "Region")
            .Add(x => x.EmptyOptionText, "Choose a region")
            .Add(x => x.Options, [new GovOption("1", "London"), new GovOption("2", "North West")]));

        cut.Find("select").ClassList.ShouldContain("govuk-select");
        cut.Find("option[value='2']").HasAttribute("selected").ShouldBeTrue();
        cut.Find("option[value='']").TextContent.ShouldBe("Choose a region");

        cut.Find("select").Change("1");

        value.ShouldBe("1");
    }
}
