using System.Diagnostics;
using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Uploads;
using FgcReturns.TestSupport;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 12's upload timing: a CSV of nothing but bad lines read at growing lengths. The problem list once counted line
/// numbers from the start of the file for every line (quadratic); the time per thousand lines must stay flat as the
/// file grows. Timed here rather than in a unit test, where a busy machine made the figure meaningless.
/// </summary>
internal static class UploadTimings
{
    private static readonly UploadExpectation Medway = new(TestData.Medway, 7, "1.0", "Medway", "FGC annual return 2024 to 2025");

    public static int Run(string repositoryRoot)
    {
        var loaded = SurveyDefinitionLoader.LoadFile(Path.Combine(repositoryRoot, "survey-definitions", "fgc-annual", "1.0.yaml"));
        var definition = loaded.Definitions.Single();
        Read(definition, HostileFiles.CsvOfBadLines(25_000));

        Console.WriteLine("| Bad lines | File size | Best of 3 | Per 1,000 lines | Problems counted |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        double? firstPerThousand = null;
        double lastPerThousand = 0;
        foreach (var lines in new[] { 25_000, 50_000, 100_000, 200_000 })
        {
            var file = HostileFiles.CsvOfBadLines(lines);
            var best = TimeSpan.MaxValue;
            var problems = 0;
            for (var run = 0; run < 3; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                problems = Read(definition, file);
                best = stopwatch.Elapsed < best ? stopwatch.Elapsed : best;
            }

            var perThousand = best.TotalMilliseconds / (lines / 1000.0);
            firstPerThousand ??= perThousand;
            lastPerThousand = perThousand;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {lines:N0} | {file.Length / 1024.0 / 1024.0:N1} MB | {best.TotalMilliseconds:N0} ms | {perThousand:N2} ms | {problems:N0} |"));
        }

        // Linear time keeps the cost per line roughly level; quadratic would multiply it by 8 from 25k to 200k lines.
        var growth = lastPerThousand / firstPerThousand!.Value;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cost per line at 200,000 lines is {growth:N1} times that at 25,000 (linear: about 1; quadratic: about 8)."));
        return growth < 3 ? 0 : 1;
    }

    private static int Read(SurveyDefinition definition, byte[] file) =>
        new ReturnUploadReader().Read(new MemoryStream(file), "bad-lines.csv", file.LongLength, definition, Medway).TotalProblems;
}
