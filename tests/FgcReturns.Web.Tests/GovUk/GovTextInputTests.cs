using Bunit;
using FgcReturns.Web.Components.GovUk;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovTextInputTests : BunitContext
{
    private sealed class Model
    {
        public string? NiNumber { get; set; }
    }

    [Fact]
    public void Render_WithHintAndError_MatchesGovukFixture()
    {
        var model = new Model();

        var cut = Render<GovTextInput>(p => p
            .Add(x => x.Value, model.NiNumber)
            .Add(x => x.ValueExpression, () => model.NiNumber)
            .Add(x => x.Id, "with-error-hint")
            .Add(x => x.Label, "National insurance number")
            .Add(x => x.Hint, "It’s on your National Insurance card.")
            .Add(x => x.ErrorMessage, "Enter a National Insurance number in the correct format"));

        // dist/govuk/components/input/template-with-error-and-hint.html; the name comes from the bound expression.
        cut.MarkupMatches("""
            <div class="govuk-form-group govuk-form-group--error">
              <label class="govuk-label" for="with-error-hint">
                National insurance number
              </label>
              <div id="with-error-hint-hint" class="govuk-hint">
                It’s on your National Insurance card.
              </div>
              <p id="with-error-hint-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">Error:</span> Enter a National Insurance number in the correct format
              </p>
              <input class="govuk-input govuk-input--error" id="with-error-hint" name="model.NiNumber" type="text" aria-describedby="with-error-hint-hint with-error-hint-error">
            </div>
            """);
    }

    [Fact]
    public void Render_NumericWithSuffixAndWidth_UsesInputWrapperAndNumericMode()
    {
        var model = new Model { NiNumber = "12" };

        var cut = Render<GovTextInput>(p => p
            .Add(x => x.Value, model.NiNumber)
            .Add(x => x.ValueExpression, () => model.NiNumber)
            .Add(x => x.Label, "Number of children")
            .Add(x => x.Numeric, true)
            .Add(x => x.WidthClass, "govuk-input--width-5")
            .Add(x => x.Suffix, "children"));

        cut.MarkupMatches("""
            <div class="govuk-form-group">
              <label class="govuk-label" for="NiNumber">Number of children</label>
              <div class="govuk-input__wrapper">
                <input class="govuk-input govuk-input--width-5" id="NiNumber" name="model.NiNumber" type="text" inputmode="numeric" spellcheck="false" value="12">
                <div class="govuk-input__suffix" aria-hidden="true">children</div>
              </div>
            </div>
            """);
    }

    [Fact]
    public void Change_UpdatesBoundValue()
    {
        string? bound = null;

        var cut = Render<GovTextInput>(p => p
            .Add(x => x.Value, bound)
            .Add(x => x.ValueChanged, v => bound = v)
            .Add(x => x.ValueExpression, () => bound)
            .Add(x => x.Id, "name"));

        cut.Find("input").Change("Jo");

        bound.ShouldBe("Jo");
    }

    [Fact]
    public void Render_WithEditContextMessage_ShowsItAsGovukError()
    {
        var model = new Model();
        var editContext = new EditContext(model);
        var store = new ValidationMessageStore(editContext);
        store.Add(editContext.Field(nameof(Model.NiNumber)), "Enter your National Insurance number");

        var cut = Render<CascadingValue<EditContext>>(p => p
            .Add(x => x.Value, editContext)
            .AddChildContent<GovTextInput>(input => input
                .Add(x => x.Value, model.NiNumber)
                .Add(x => x.ValueExpression, () => model.NiNumber)
                .Add(x => x.Label, "National Insurance number")));

        cut.Find(".govuk-form-group").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("#NiNumber-error").TextContent.ShouldContain("Enter your National Insurance number");
        cut.Find("input").GetAttribute("aria-describedby").ShouldBe("NiNumber-error");
        cut.Find("input").ClassList.ShouldContain("govuk-input--error");
    }

    [Fact]
    public void Render_NameAttribute_OverridesGeneratedName()
    {
        string? value = null;

        var cut = Render<GovTextInput>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "q")
            .AddUnmatched("name", "Values[q]"));

        cut.Find("input").GetAttribute("name").ShouldBe("Values[q]");
    }

    [Fact]
    public void Render_LabelAsPageHeading_WrapsLabelInH1()
    {
        string? value = null;

        var cut = Render<GovTextInput>(p => p
            .Add(x => x.Value, value)
            .Add(x => x.ValueExpression, () => value)
            .Add(x => x.Id, "q")
            .Add(x => x.Label, "What is the name?")
            .Add(x => x.LabelIsPageHeading, true)
            .Add(x => x.LabelSize, "l"));

        cut.Find("h1.govuk-label-wrapper > label.govuk-label.govuk-label--l").GetAttribute("for").ShouldBe("q");
    }
}
