using System.ComponentModel.DataAnnotations;

namespace FgcReturns.Core.Benchmarks;

public sealed class BenchmarkOptions
{
    public const string Section = "Benchmarks";

    /// <summary>Counts from 1 to this number (and rates computed from them) are shown as c outside analysts' own view.</summary>
    [Range(0, 100)]
    public int SuppressionThreshold { get; set; } = 4;

    /// <summary>
    /// Secondary suppression (complements so that no suppressed value can be worked out). Only ever switched off to
    /// show that the disclosure audit fails such a build.
    /// </summary>
    public bool SecondarySuppression { get; set; } = true;

    /// <summary>
    /// A collection whose inputs (its included returns' values, the LAs, regions, neighbours and populations, its
    /// definition and measures, these options and this build of the code) are the same as in an earlier successful
    /// build takes that build's suppression flags, which its audit passed, instead of protecting and auditing the
    /// collection again: a rebuild after one acceptance re-protects one year, not ten. Off: every build protects and
    /// audits every collection (the harness times the cold build so).
    /// </summary>
    public bool ReuseUnchangedDisclosure { get; set; } = true;

    /// <summary>
    /// Share of all LAs whose returns a year must include before England figures are shown for it and before it is
    /// offered as the default year; below it England aggregates are x and the year is labelled provisional.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinimumCoverage { get; set; } = 0.75;

    /// <summary>LAs that must report an item before a region's or neighbour group's aggregate of it is shown.</summary>
    [Range(1, 20)]
    public int MinimumAreaLas { get; set; } = 3;

    /// <summary>The number of LAs that meets <see cref="MinimumCoverage"/> nationally.</summary>
    public int MinimumNationalLas(int totalLas) => Math.Max(MinimumAreaLas, (int)Math.Ceiling(MinimumCoverage * totalLas));

    /// <summary>
    /// How long an acceptance waits before its build starts (a short debounce), so that acceptances arriving together
    /// make one build while the first after a quiet spell is still built within seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CoalesceDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Cron expression (Europe/London) of the nightly rebuild.</summary>
    [Required]
    public string NightlyCron { get; set; } = "30 2 * * *";

    /// <summary>Successful builds kept per survey and kind (older ones' rows are deleted).</summary>
    [Range(2, 100)]
    public int KeepBuilds { get; set; } = 3;

    /// <summary>
    /// Partitions of a build run concurrently, each on its own connection (whole collections per partition,
    /// balanced by the rows they produce). Default: one per core, at most 4.
    /// </summary>
    [Range(1, 16)]
    public int BuildParallelism { get; set; } = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>Contact shown on the workbooks' cover sheets.</summary>
    [Required]
    public string Contact { get; set; } = "fgc.data@foundations.example";

    /// <summary>Publisher named as the source on the cover sheets.</summary>
    [Required]
    public string Publisher { get; set; } = "Foundations, from local authorities' FGC annual returns";
}
