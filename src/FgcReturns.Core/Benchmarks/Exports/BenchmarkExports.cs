using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Exports;

public sealed record ExportFile(string FileName, string ContentType, byte[] Content);

/// <summary>Loads the current build and writes the benchmark downloads. Callers decide who may have which.</summary>
public sealed class BenchmarkExports(BenchmarkReader reader, BenchmarkOptions options, SurveyDefinitions.SurveyDefinitionCatalog catalog)
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Csv = "text/csv; charset=utf-8";

    public async Task<ExportFile?> NationalWorkbookAsync(string surveyId, BenchmarkKind kind, DisclosureView view, int? collectionId = null, CancellationToken ct = default)
    {
        var s = await reader.LoadAsync(new SnapshotRequest(surveyId, kind, CollectionId: collectionId), ct);
        if (s is null)
        {
            return null;
        }

        using var workbook = NationalBenchmarkWorkbook.Create(s, view, options.Contact, options.Publisher, s.Collection.PublicationDate);
        var suffix = (kind == BenchmarkKind.Provisional ? "-submitted" : "") + (view == DisclosureView.Unsuppressed ? "-OFFICIAL-SENSITIVE" : "");
        return new ExportFile($"{surveyId}-benchmarks-{s.Collection.Period}-{BenchmarkFigures.StatusWord(s)}{suffix}.xlsx", Xlsx, GafWorkbook.ToBytes(workbook));
    }

    /// <summary>The LA workbook, from accepted returns only (other LAs see only accepted figures).</summary>
    public async Task<ExportFile?> LaWorkbookAsync(string surveyId, string laCode, int? collectionId = null, CancellationToken ct = default)
    {
        var s = await reader.LoadAsync(new SnapshotRequest(surveyId, BenchmarkKind.Final, FocusLa: laCode, CollectionId: collectionId), ct);
        if (s?.La(laCode) is null)
        {
            return null;
        }

        using var workbook = LaBenchmarkWorkbook.Create(s, laCode, options.Contact, options.Publisher, s.Collection.PublicationDate);
        return new ExportFile($"{surveyId}-benchmarks-{s.Collection.Period}-{BenchmarkFigures.StatusWord(s)}-{laCode}.xlsx", Xlsx, GafWorkbook.ToBytes(workbook));
    }

    public async Task<ExportFile?> OpenDataAsync(string surveyId, bool metadata, int? collectionId = null, CancellationToken ct = default)
    {
        var s = await reader.LoadAsync(new SnapshotRequest(surveyId, BenchmarkKind.Final, CollectionId: collectionId, AllLaValues: !metadata), ct);
        if (s is null)
        {
            return null;
        }

        await using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var breakdowns = OpenDataBreakdowns.From(s.Collections.Select(c => catalog.Get(surveyId, c.DefinitionVersion)).OfType<SurveyDefinitions.SurveyDefinition>());
        if (metadata)
        {
            OpenDataCsv.WriteMetadata(s, text, breakdowns);
        }
        else
        {
            OpenDataCsv.WriteData(s, text, breakdowns);
        }

        var name = $"{surveyId.Replace('-', '_')}_{s.Collection.TimePeriod}_{BenchmarkFigures.StatusWord(s)}{(metadata ? ".meta" : "")}.csv";
        return new ExportFile(name, Csv, System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }
}
