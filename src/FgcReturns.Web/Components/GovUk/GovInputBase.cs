using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace FgcReturns.Web.Components.GovUk;

/// <summary>
/// Shared parts of our GOV.UK form inputs: id, label, hint and error message wiring. The error
/// shown is <see cref="ErrorMessage"/> if set, otherwise the first validation message for the
/// bound field from a cascaded <see cref="EditContext"/> (if any).
/// </summary>
public abstract class GovInputBase<TValue> : InputBase<TValue>
{
    /// <summary>Element id; error summary links use "#" + this. Defaults to the bound field's name.</summary>
    [Parameter] public string? Id { get; set; }

    /// <summary>Label (or legend, for radios and checkboxes) text.</summary>
    [Parameter] public string? Label { get; set; }

    /// <summary>Wrap the label/legend in an h1 (one question per page).</summary>
    [Parameter] public bool LabelIsPageHeading { get; set; }

    /// <summary>Label size: "s", "m", "l" or "xl" (govuk-label--l); null for the default.</summary>
    [Parameter] public string? LabelSize { get; set; }

    [Parameter] public string? Hint { get; set; }

    /// <summary>Error message shown above the input; overrides EditContext messages.</summary>
    [Parameter] public string? ErrorMessage { get; set; }

    /// <summary>Extra classes for the govuk-form-group wrapper.</summary>
    [Parameter] public string? FormGroupClass { get; set; }

    protected string FieldId => !string.IsNullOrWhiteSpace(Id) ? Id : FieldIdentifier.FieldName;

    protected string FieldName
    {
        get
        {
            var name = NameAttributeValue;
            return string.IsNullOrEmpty(name) ? FieldId : name;
        }
    }

    protected string HintId => FieldId + "-hint";

    protected string ErrorId => FieldId + "-error";

    protected string? EffectiveError
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(ErrorMessage))
            {
                return ErrorMessage;
            }

            return EditContext?.GetValidationMessages(FieldIdentifier).FirstOrDefault();
        }
    }

    protected bool HasError => !string.IsNullOrWhiteSpace(EffectiveError);

    protected bool HasHint => !string.IsNullOrWhiteSpace(Hint);

    protected string? DescribedBy => GovUkCss.DescribedBy(HasHint ? HintId : null, HasError ? ErrorId : null);

    /// <summary>
    /// <see cref="InputBase{TValue}.AdditionalAttributes"/> without "name", for components (radios,
    /// checkboxes) that splat them on a wrapper rather than on the named inputs.
    /// </summary>
    protected IReadOnlyDictionary<string, object>? WrapperAttributes =>
        AdditionalAttributes?.ContainsKey("name") == true
            ? AdditionalAttributes.Where(a => a.Key != "name").ToDictionary(a => a.Key, a => a.Value)
            : AdditionalAttributes;

    protected string FormGroupClasses =>
        GovUkCss.Join("govuk-form-group", HasError ? "govuk-form-group--error" : null, FormGroupClass);
}

/// <summary><see cref="GovInputBase{TValue}"/> for plain strings: no parsing, so no parse errors.</summary>
public abstract class GovStringInputBase : GovInputBase<string?>
{
    protected override bool TryParseValueFromString(
        string? value,
        [MaybeNullWhen(false)] out string? result,
        [NotNullWhen(false)] out string? validationErrorMessage)
    {
        result = value;
        validationErrorMessage = null;
        return true;
    }
}
