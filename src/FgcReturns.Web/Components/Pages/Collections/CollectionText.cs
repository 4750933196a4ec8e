using FgcReturns.Core.Collections;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Components.Pages.Collections;

/// <summary>How collection statuses read on the collections pages.</summary>
public static class CollectionText
{
    public static (string Text, GovTagColour Colour) Status(CollectionStatus status) => status switch
    {
        CollectionStatus.Scheduled => ("Scheduled", GovTagColour.Blue),
        CollectionStatus.Open => ("Open", GovTagColour.Green),
        _ => ("Closed", GovTagColour.Grey),
    };
}
