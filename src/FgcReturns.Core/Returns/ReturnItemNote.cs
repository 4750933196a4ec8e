namespace FgcReturns.Core.Returns;

/// <summary>An analyst's note on one item (question or grid cell) of a return; the LA sees it.</summary>
public sealed class ReturnItemNote
{
    public long Id { get; init; }
    public int ReturnId { get; init; }
    public required string ItemKey { get; init; }
    public required string Text { get; init; }
    public string? AuthorUserId { get; init; }
    public required string AuthorEmail { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
