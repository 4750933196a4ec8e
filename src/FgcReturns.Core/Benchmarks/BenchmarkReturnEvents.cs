using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;

namespace FgcReturns.Core.Benchmarks;

/// <summary>Accepting a return (or taking an accepted one back) changes the published figures: ask for a coalesced build.</summary>
public sealed class BenchmarkReturnEvents(BenchmarkScheduler scheduler) : IReturnEvents
{
    public Task ReturnAcceptedAsync(LaReturn ret, CancellationToken ct) => scheduler.RequestBuild(ret.CollectionId, ct);

    public Task ReturnSentBackAsync(LaReturn ret, string comment, CancellationToken ct) => scheduler.RequestBuild(ret.CollectionId, ct);
}
