using FgcReturns.Core.Exports;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Web.Endpoints;

public static class DefinitionDownloads
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The data specification workbook of a version, e.g. /definitions/fgc-annual/1.0/specification.xlsx.</summary>
    public static string SpecificationHref(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return $"/definitions/{Uri.EscapeDataString(definition.SurveyId)}/{Uri.EscapeDataString(definition.Version)}/specification.xlsx";
    }

    /// <summary>The download's file name, e.g. fgc-annual-1.0-data-specification.xlsx.</summary>
    public static string SpecificationFileName(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return $"{definition.SurveyId}-{definition.Version}-data-specification.xlsx";
    }

    public static IEndpointRouteBuilder MapDefinitionDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/definitions/{surveyId}/{version}/specification.xlsx", (string surveyId, string version, SurveyDefinitionCatalog catalog) =>
        {
            if (catalog.Get(surveyId, version) is not { } definition)
            {
                return Results.NotFound();
            }

            // The workbook is small (tens of kilobytes); ClosedXML needs a seekable stream.
            var stream = new MemoryStream();
            DataSpecificationWorkbook.Write(definition, stream);
            stream.Position = 0;
            return TypedResults.File(stream, XlsxContentType, SpecificationFileName(definition));
        }).RequireAuthorization(Roles.Analyst);
        return endpoints;
    }
}
