using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FgcReturns.Core.Telemetry;

public static class Extensions
{
    /// <summary>
    /// Traces and metrics through OpenTelemetry: ASP.NET Core, HttpClient and Npgsql, ASP.NET Core Identity's sign-in
    /// metrics (failures and lock-outs) and the portal's own (<see cref="FgcMetrics"/>). Exported over OTLP when
    /// Telemetry:OtlpEndpoint or the standard OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise collected for nobody.
    /// </summary>
    public static IServiceCollection AddFgcTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FgcMetrics>();
        services.AddSingleton<MetricsInterceptor>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["Telemetry:ServiceName"] ?? "fgc-returns"))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(FgcMetrics.MeterName, "Microsoft.AspNetCore.Identity", "Npgsql"));

        if (configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } endpoint)
        {
            var protocol = string.Equals(configuration["Telemetry:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint));
        }
        else if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
