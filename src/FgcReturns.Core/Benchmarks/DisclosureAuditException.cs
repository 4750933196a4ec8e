namespace FgcReturns.Core.Benchmarks;

/// <summary>The disclosure audit recovered suppressed values: the build must not become current.</summary>
public sealed class DisclosureAuditException(IReadOnlyList<Recovery> recoverable)
    : Exception($"The disclosure audit recovered {recoverable.Count} suppressed values, for example: {string.Join("; ", recoverable.Take(5))}")
{
    public IReadOnlyList<Recovery> Recoverable { get; } = recoverable;
}
