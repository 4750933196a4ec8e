using Microsoft.AspNetCore.Components.Server.Circuits;

namespace FgcReturns.Web.Telemetry;

/// <summary>
/// Puts the Blazor circuit's id in the logging scope of everything a circuit does (events, renders, JS interop
/// calls), as ASP.NET Core puts the request and trace ids in a request's, so one person's page can be followed
/// through the logs. Only the id: never a value from a return or anything a person typed.
/// </summary>
internal sealed class CircuitLogScope(ILogger<CircuitLogScope> logger) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            using (logger.BeginScope(new Dictionary<string, object> { ["CircuitId"] = context.Circuit.Id }))
            {
                await next(context);
            }
        };
}
