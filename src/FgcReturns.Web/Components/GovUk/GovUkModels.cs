namespace FgcReturns.Web.Components.GovUk;

/// <summary>One choice in <see cref="GovRadios"/>, <see cref="GovCheckboxes"/> or <see cref="GovSelect"/>.</summary>
/// <param name="Value">The submitted value.</param>
/// <param name="Text">The visible label.</param>
/// <param name="Hint">Optional hint under the label (radios and checkboxes only).</param>
public sealed record GovOption(string Value, string Text, string? Hint = null);

/// <summary>One entry in <see cref="GovErrorSummary"/>: the message and the link to the field.</summary>
public sealed record GovError(string Message, string Href)
{
    /// <summary>An error linking to the element with id <paramref name="fieldId"/>.</summary>
    public static GovError ForField(string fieldId, string message) => new(message, "#" + fieldId);
}

/// <summary>Colour modifiers of the GOV.UK tag. <see cref="Default"/> is the standard (blue) tag.</summary>
public enum GovTagColour
{
    Default,
    Grey,
    Green,
    Teal,
    Turquoise,
    Blue,
    LightBlue,
    Purple,
    Magenta,
    Pink,
    Red,
    Orange,
    Yellow,
}

public enum GovButtonVariant
{
    Primary,
    Secondary,
    Warning,
    Inverse,
}

public enum GovNotificationBannerType
{
    /// <summary>Neutral information: role="region", title "Important".</summary>
    Information,

    /// <summary>Outcome of the user's action: role="alert", title "Success", green.</summary>
    Success,
}

/// <summary>A summary list row: key, plain-text value and an optional change link.</summary>
/// <param name="Key">Row key.</param>
/// <param name="Value">Row value (text). Use <see cref="GovSummaryListRow"/> for rich content.</param>
/// <param name="ChangeHref">Link target for the action; no action when null.</param>
/// <param name="ChangeText">Visible action text.</param>
/// <param name="VisuallyHiddenText">Screen-reader context after the action text; defaults to the key in lower case.</param>
public sealed record GovSummaryRow(
    string Key,
    string? Value,
    string? ChangeHref = null,
    string ChangeText = "Change",
    string? VisuallyHiddenText = null);

/// <summary>A task list item (GOV.UK task list pattern).</summary>
/// <param name="Title">Task name.</param>
/// <param name="Href">Link to the task; null when the task cannot be started.</param>
/// <param name="Status">Status text, e.g. "Completed", "Incomplete", "Cannot start yet".</param>
/// <param name="Hint">Optional hint under the name.</param>
/// <param name="StatusTag">Render the status as a tag of this colour; null for plain text (e.g. "Completed").</param>
public sealed record GovTaskListItem(
    string Title,
    string? Href,
    string Status,
    string? Hint = null,
    GovTagColour? StatusTag = null);

internal static class GovUkCss
{
    public static string Join(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    public static string? DescribedBy(params string?[] ids)
    {
        var joined = Join(ids);
        return joined.Length == 0 ? null : joined;
    }

    public static string? TagModifier(GovTagColour colour) => colour switch
    {
        GovTagColour.Default => null,
        GovTagColour.LightBlue => "govuk-tag--light-blue",
        _ => "govuk-tag--" + colour.ToString().ToLowerInvariant(),
    };

    /// <summary>"l" -> "govuk-label--l" etc. Accepts s, m, l, xl; null for none.</summary>
    public static string? SizeModifier(string block, string? size) =>
        string.IsNullOrWhiteSpace(size) ? null : $"{block}--{size.Trim().ToLowerInvariant()}";
}
