namespace FgcReturns.Web.Telemetry;

/// <summary>What the portal never lets into its logs, whatever log levels an operator configures.</summary>
internal static class LogSafety
{
    /// <summary>
    /// ASP.NET Core's "Request starting/finished" lines carry the full URL, query string included, and a one-time
    /// set-password link carries its token there. Those lines are kept to Warning and above even when an operator
    /// turns Microsoft.AspNetCore up; requests are still seen through OpenTelemetry traces, which redact the query
    /// string. A filter added in code is applied after the configuration's, so it wins at the same category.
    /// SignalR's hub dispatcher, at Debug, writes every hub invocation with its arguments: for a Blazor circuit those
    /// are the browser's events, each carrying the value the person typed into a field. It is held at Information.
    /// </summary>
    public static IServiceCollection AddLogSafety(this IServiceCollection services) =>
        services.AddLogging(b => b
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Information));
}
