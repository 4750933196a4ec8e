namespace FgcReturns.Core.Data;

/// <summary>How a return's status reads, in pages, exports and emails alike.</summary>
public static class ReturnStatusText
{
    public static string For(ReturnStatus status) => status switch
    {
        ReturnStatus.NotStarted => "Not started",
        ReturnStatus.InProgress => "In progress",
        ReturnStatus.Submitted => "Submitted",
        ReturnStatus.ReturnedForAmendment => "Returned for amendment",
        ReturnStatus.Accepted => "Accepted",
        _ => status.ToString(),
    };
}
