using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tracker;

/// <summary>
/// fgc tracker compute FILE --definition SURVEY/VERSION [--period YYYY-YY] [--definitions FOLDER]: the same figures the
/// portal would compute from the tracker, worked out on the LA's own machine. Nothing is sent or written anywhere.
/// </summary>
internal static class TrackerCommand
{
    public const string Usage = "  fgc tracker compute <file.xlsx> --definition fgc-annual/1.1 [--period 2025-26] [--definitions <folder>]";

    public static int Run(string[] args, TextWriter output, TextWriter error, DateOnly today)
    {
        var file = args.Length > 0 ? args[0] : null;
        string? definitionId = null, period = null, folder = null;
        for (var i = 1; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--definition": definitionId = args[i + 1]; break;
                case "--period": period = args[i + 1]; break;
                case "--definitions": folder = args[i + 1]; break;
                default:
                    error.WriteLine($"Unknown option {args[i]}.");
                    return 2;
            }
        }

        if (file is null || definitionId is null || definitionId.Split('/') is not [var surveyId, var version] || (args.Length - 1) % 2 != 0)
        {
            error.WriteLine("Usage:" + Environment.NewLine + Usage);
            return 2;
        }

        folder ??= FindDefinitions();
        var loaded = SurveyDefinitionLoader.LoadFolder(folder);
        var definition = loaded.Definitions.FirstOrDefault(d => d.SurveyId == surveyId && d.Version == version);
        if (definition is null)
        {
            error.WriteLine($"There is no survey definition {definitionId} in {folder}.");
            return 2;
        }

        // Without --period: the latest financial year that has ended.
        period ??= string.Create(CultureInfo.InvariantCulture, $"{(today.Month >= 4 ? today.Year - 1 : today.Year - 2)}-{(today.Month >= 4 ? today.Year : today.Year - 1) % 100:00}");
        if (!TrackerComputation.TryParsePeriod(period, out var start, out var end))
        {
            error.WriteLine($"The period '{period}' must be a financial year like 2025-26.");
            return 2;
        }

        if (!File.Exists(file))
        {
            error.WriteLine($"There is no file {file}.");
            return 2;
        }

        using var stream = File.OpenRead(file);
        var result = TrackerComputation.Compute(stream, file, stream.Length, definition, start, end);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tracker: {result.RowCount} rows. Definition {definition.SurveyId} {definition.Version}. Period {start:d MMMM yyyy} to {end:d MMMM yyyy}."));
        if (!result.IsClean)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Problems.Count} {(result.Problems.Count == 1 ? "problem" : "problems")}; no figures were computed:"));
            foreach (var problem in result.Problems)
            {
                output.WriteLine("  " + problem);
            }

            return 1;
        }

        foreach (var (key, value) in result.Values)
        {
            var question = definition.QuestionForValueKey(key)!;
            output.WriteLine($"{key}\t{value ?? "not recorded"}\t{Core(question, key)}");
        }

        return 0;
    }

    private static string Core(Question question, string key) => AnswerParser.LabelFor(question, key);

    private static string FindDefinitions()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "survey-definitions");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return "survey-definitions";
    }
}
