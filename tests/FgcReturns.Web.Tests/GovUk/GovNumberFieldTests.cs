using Bunit;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Tests.GovUk;

public sealed class GovNumberFieldTests : BunitContext
{
    private IRenderedComponent<GovNumberField> RenderField(string? value, Action<string?> onChange, string? error = null) =>
        Render<GovNumberField>(p => p
            .Add(x => x.Key, "referrals_total")
            .Add(x => x.Label, "Number of referrals")
            .Add(x => x.Hint, "Count each family once.")
            .Add(x => x.Unit, "families")
            .Add(x => x.AllowNotRecorded, true)
            .Add(x => x.ErrorMessage, error)
            .Add(x => x.Value, value)
            .Add(x => x.ValueChanged, onChange));

    [Fact]
    public void Render_Unanswered_IsEnabledEmptyNumericInputWithKeyAsId()
    {
        var cut = RenderField("", _ => { });

        var input = cut.Find("input[type=text]");
        input.Id.ShouldBe("referrals_total");
        input.GetAttribute("name").ShouldBe("referrals_total");
        input.GetAttribute("inputmode").ShouldBe("numeric");
        input.GetAttribute("spellcheck").ShouldBe("false");
        input.ClassList.ShouldContain("govuk-input--width-10");
        input.HasAttribute("disabled").ShouldBeFalse();
        input.GetAttribute("value").ShouldBe("");
        input.GetAttribute("aria-describedby").ShouldBe("referrals_total-hint");
        cut.Find(".govuk-input__suffix").TextContent.ShouldBe("families");

        var checkbox = cut.Find("input[type=checkbox]");
        checkbox.Id.ShouldBe("referrals_total-not-recorded");
        checkbox.HasAttribute("checked").ShouldBeFalse();
        cut.Find(".govuk-checkboxes").ClassList.ShouldContain("govuk-checkboxes--small");
        cut.Find("label[for=referrals_total-not-recorded]").TextContent.ShouldContain("Not recorded");
    }

    [Fact]
    public void TickNotRecorded_SetsValueNullAndDisablesInput()
    {
        string? bound = "12";
        var cut = RenderField(bound, v => bound = v);

        cut.Find("input[type=checkbox]").Change(true);

        bound.ShouldBeNull();
        var input = cut.Find("input[type=text]");
        input.HasAttribute("disabled").ShouldBeTrue();
        input.GetAttribute("value").ShouldBe("");
        cut.Find("input[type=checkbox]").HasAttribute("checked").ShouldBeTrue();
    }

    [Fact]
    public void UntickNotRecorded_RestoresEmptyEnabledInput()
    {
        string? bound = null;
        var cut = RenderField(bound, v => bound = v);
        cut.Find("input[type=text]").HasAttribute("disabled").ShouldBeTrue();
        cut.Find("input[type=checkbox]").HasAttribute("checked").ShouldBeTrue();

        cut.Find("input[type=checkbox]").Change(false);

        bound.ShouldBe("");
        cut.Find("input[type=text]").HasAttribute("disabled").ShouldBeFalse();
        cut.Find("input[type=checkbox]").HasAttribute("checked").ShouldBeFalse();
    }

    [Fact]
    public void TypeZero_IsZeroNotNotRecorded()
    {
        string? bound = "";
        var cut = RenderField(bound, v => bound = v);

        cut.Find("input[type=text]").Change("0");

        bound.ShouldBe("0");
        cut.Find("input[type=checkbox]").HasAttribute("checked").ShouldBeFalse();
    }

    [Fact]
    public void Render_WithError_UsesGovukErrorMarkupAndDescribedBy()
    {
        var cut = RenderField("abc", _ => { }, error: "Enter the number of referrals as a whole number");

        cut.Find(".govuk-form-group").ClassList.ShouldContain("govuk-form-group--error");
        cut.Find("p.govuk-error-message").MarkupMatches("""
            <p id="referrals_total-error" class="govuk-error-message">
              <span class="govuk-visually-hidden">Error:</span> Enter the number of referrals as a whole number
            </p>
            """);
        var input = cut.Find("input[type=text]");
        input.ClassList.ShouldContain("govuk-input--error");
        input.GetAttribute("aria-describedby").ShouldBe("referrals_total-hint referrals_total-error");
    }

    [Fact]
    public void Render_WithoutAllowNotRecorded_HasNoCheckboxAndTreatsNullAsEmpty()
    {
        var cut = Render<GovNumberField>(p => p
            .Add(x => x.Key, "k")
            .Add(x => x.Label, "Count")
            .Add(x => x.Value, (string?)null));

        cut.FindAll("input[type=checkbox]").ShouldBeEmpty();
        cut.Find("input").HasAttribute("disabled").ShouldBeFalse();
    }
}
