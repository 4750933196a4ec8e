using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovChoiceTests : BunitContext
{
    private static readonly IReadOnlyList<GovOption> YesNo = [new("yes", "Yes"), new("no", "No")];

    [Fact]
    public void Radios_Inline_MatchGovukFixtureWithCheckedState()
    {
        string? value = "no";

        var cut = Render<GovRadios>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "example")
            .Add(x => x.Label, "Have you changed your name?")
            .Add(x => x.Hint, "This includes changing your last name.")
            .Add(x => x.Inline, true)
            .Add(x => x.Options, YesNo)
            .AddUnmatched("name", "example"));

        // dist/govuk/components/radios/template-inline.html (hint id is ours: "<id>-hint").
        cut.MarkupMatches("""
            <div class="govuk-form-group">
              <fieldset class="govuk-fieldset" aria-describedby="example-hint">
                <legend class="govuk-fieldset__legend">Have you changed your name?</legend>
                <div id="example-hint" class="govuk-hint">This includes changing your last name.</div>
                <div class="govuk-radios govuk-radios--inline" data-module="govuk-radios">
                  <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id="example" name="example" type="radio" value="yes">
                    <label class="govuk-label govuk-radios__label" for="example">Yes</label>
                  </div>
                  <div class="govuk-radios__item">
                    <input class="govuk-radios__input" id="example-2" name="example" type="radio" value="no" checked>
                    <label class="govuk-label govuk-radios__label" for="example-2">No</label>
                  </div>
                </div>
              </fieldset>
            </div>
            """);
    }

    [Fact]
    public void Radios_SelectOption_UpdatesValueAndCheckedState()
    {
        string? value = null;

        var cut = Render<GovRadios>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, v => value = v)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "consent")
            .Add(x => x.Label, "Consent given?")
            .Add(x => x.ErrorMessage, "Select yes if consent was given")
            .Add(x => x.Options, [new GovOption("yes", "Yes", "Written or verbal"), new GovOption("no", "No")]));

        cut.FindAll("input[checked]").ShouldBeEmpty();
        cut.Find("fieldset").GetAttribute("aria-describedby").ShouldBe("consent-error");
        cut.Find("#consent").GetAttribute("aria-describedby").ShouldBe("consent-item-hint");
        cut.Find("#consent-item-hint").ClassList.ShouldContain("govuk-radios__hint");

        cut.Find("#consent-2").Change("no");

        value.ShouldBe("no");
        cut.Find("#consent-2").HasAttribute("checked").ShouldBeTrue();
        cut.Find("#consent").HasAttribute("checked").ShouldBeFalse();
    }

    [Fact]
    public void Checkboxes_Toggle_UpdatesListInOptionOrder()
    {
        IReadOnlyList<string>? value = ["c"];
        IReadOnlyList<GovOption> options = [new("a", "A"), new("b", "B"), new("c", "C")];

        var cut = Render<GovCheckboxes>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, v => value = v)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "kinds")
            .Add(x => x.Label, "Kinds")
            .Add(x => x.Options, options));

        cut.Find("#kinds-3").HasAttribute("checked").ShouldBeTrue();

        cut.Find("#kinds").Change(true);
        value.ShouldBe(["a", "c"]);

        cut.Find("#kinds-3").Change(false);
        value.ShouldBe(["a"]);
        GovCheckboxes.ToCommaString(value).ShouldBe("a");
        GovCheckboxes.FromCommaString(" a, b ,,c").ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void Checkboxes_WithError_UseGovukErrorMarkup()
    {
        IReadOnlyList<string>? value = [];

        var cut = Render<GovCheckboxes>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "waste")
            .Add(x => x.Label, "Which types of waste?")
            .Add(x => x.ErrorMessage, "Please select an option")
            .Add(x => x.Options, [new GovOption("animal", "Animal")]));

        cut.Find(".govuk-form-group").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("fieldset").GetAttribute("aria-describedby").ShouldBe("waste-error");
        cut.Find("#waste-error").MarkupMatches("""
            <p id="waste-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Please select an option</p>
            """);
    }
}
