using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.ReferenceData;

/// <summary>Loads the real DfE/ONS reference data shipped as embedded CSVs (see ReferenceData/README.md).</summary>
public static class ReferenceDataSeeder
{
    public static async Task SeedAsync(FgcDbContext db, CancellationToken ct = default)
    {
        if (await db.LocalAuthorities.AnyAsync(ct))
        {
            return;
        }

        foreach (var r in Read<RegionRow>("regions.csv"))
        {
            db.Regions.Add(new Region { Code = r.region_code, Name = r.region_name });
        }

        var las = Read<LaRow>("local_authorities.csv").ToList();
        foreach (var la in las)
        {
            db.LocalAuthorities.Add(new LocalAuthority
            {
                Code = la.old_la_code,
                OnsCode = la.new_la_code,
                Name = la.la_name,
                RegionCode = la.region_code,
                OnsCodeValidFrom = DateOnly.ParseExact(la.valid_from, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }

        foreach (var h in Read<HistoryRow>("la_code_history.csv"))
        {
            db.LaCodeHistory.Add(new LaCodeHistory
            {
                LaCode = h.old_la_code,
                OnsCode = h.new_la_code,
                Name = h.la_name,
                RegionCode = h.region_code,
                ValidFrom = DateOnly.ParseExact(h.valid_from, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                ValidTo = string.IsNullOrWhiteSpace(h.valid_to) ? null : DateOnly.ParseExact(h.valid_to, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
        }

        foreach (var n in Read<NeighbourRow>("statistical_neighbours_2025.csv"))
        {
            db.StatisticalNeighbours.Add(new StatisticalNeighbour
            {
                LaCode = n.old_la_code,
                NeighbourLaCode = n.neighbour_old_la_code,
                Rank = n.rank,
                Closeness = n.closeness,
            });
        }

        var current = las.Select(l => l.old_la_code).ToHashSet(StringComparer.Ordinal);
        foreach (var p in Read<PopulationRow>("population_0_17.csv"))
        {
            // Only LA rows for current LAs with a published figure ('x' marks not available); join on the DfE code.
            if (p.geographic_level != "Local authority" || !current.Contains(p.old_la_code)
                || !int.TryParse(p.population_estimate, NumberStyles.None, CultureInfo.InvariantCulture, out var population))
            {
                continue;
            }

            db.ChildPopulations.Add(new ChildPopulation
            {
                LaCode = p.old_la_code,
                Year = int.Parse(p.time_period, NumberStyles.None, CultureInfo.InvariantCulture),
                Population = population,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    private static IEnumerable<T> Read<T>(string file)
    {
        var stream = typeof(ReferenceDataSeeder).Assembly.GetManifestResourceStream("FgcReturns.Core.ReferenceData." + file)
            ?? throw new InvalidOperationException($"Reference data file {file} is not embedded.");
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var row in csv.GetRecords<T>())
        {
            yield return row;
        }
    }

#pragma warning disable IDE1006, CA1812, SA1300 // CSV column names as published.
    private sealed record RegionRow(string region_code, string region_name);

    private sealed record LaRow(string old_la_code, string new_la_code, string la_name, string region_code, string region_name, string valid_from);

    private sealed record HistoryRow(string old_la_code, string new_la_code, string la_name, string region_code, string valid_from, string valid_to);

    private sealed record NeighbourRow(string old_la_code, string new_la_code, string la_name, int rank, string neighbour_old_la_code, string neighbour_new_la_code, string neighbour_la_name, string closeness);

    private sealed record PopulationRow(string time_period, string time_identifier, string geographic_level, string country_code, string country_name, string region_code, string region_name, string old_la_code, string new_la_code, string la_name, string age_group, string population_estimate);
#pragma warning restore IDE1006, CA1812, SA1300
}
