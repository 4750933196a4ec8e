using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Demo;

/// <summary>
/// Demo collections: 2025-26 open on FGC annual return 1.0, and a closed 2024-25 whose returns are accepted
/// with SYNTHETIC figures, so year-on-year checks and benchmarks have something to show.
/// </summary>
public static class DemoCollectionSeeder
{
    public const string SurveyId = "fgc-annual";

    public static async Task SeedAsync(FgcDbContext db, SurveyDefinitionCatalog catalog, TimeProvider clock, CancellationToken ct = default)
    {
        if (await db.Collections.AnyAsync(ct))
        {
            return;
        }

        var definition = catalog.Get(SurveyId, "1.0") ?? throw new InvalidOperationException("FGC annual return 1.0 is missing.");
        var now = clock.GetUtcNow();
        var today = UkTime.Today(clock);
        var previous = new Collection
        {
            SurveyId = SurveyId,
            DefinitionVersion = definition.Version,
            Period = CollectionSetup.FinancialYearLabel(2024),
            PeriodStart = new DateOnly(2024, 4, 1),
            PeriodEnd = new DateOnly(2025, 3, 31),
            OpensOn = new DateOnly(2025, 10, 1),
            Deadline = new DateOnly(2025, 12, 19),
            Status = CollectionStatus.Closed,
            CreatedAt = now,
            Title = "FGC annual return 2024-25 (synthetic demo figures)",
        };
        var current = new Collection
        {
            SurveyId = SurveyId,
            DefinitionVersion = definition.Version,
            Period = CollectionSetup.FinancialYearLabel(2025),
            PeriodStart = new DateOnly(2025, 4, 1),
            PeriodEnd = new DateOnly(2026, 3, 31),
            // Relative to today, so the demo always has an open collection with time left (25 days).
            OpensOn = today.AddDays(-53),
            Deadline = today.AddDays(25),
            Status = CollectionStatus.Open,
            CreatedAt = now,
            Title = "FGC annual return 2025-26",
        };
        db.Collections.AddRange(previous, current);
        await db.SaveChangesAsync(ct);

        var populations = await db.ChildPopulations.Where(p => p.Year == 2024).ToDictionaryAsync(p => p.LaCode, p => p.Population, ct);
        foreach (var la in await db.LocalAuthorities.OrderBy(l => l.Code).ToListAsync(ct))
        {
            var values = SyntheticReturnGenerator.Generate(definition, populations.GetValueOrDefault(la.Code, 40_000), int.Parse(la.Code, System.Globalization.CultureInfo.InvariantCulture));
            var validation = ValidationEngine.Validate(definition, values, null);
            if (validation.HasErrors)
            {
                throw new InvalidOperationException($"Synthetic figures for {la.Name} fail validation: {string.Join("; ", validation.Errors.Select(e => e.Message))}");
            }

            db.Returns.Add(new LaReturn
            {
                CollectionId = previous.Id,
                LaCode = la.Code,
                Status = ReturnStatus.Accepted,
                Values = values,
                // Synthetic returns carry a standing explanation for any query the random figures raise.
                Explanations = validation.Queries.ToDictionary(q => q.RuleId, _ => "Synthetic demo figures.", StringComparer.Ordinal),
                QueryCount = validation.Queries.Count(),
                QueryRuleIds = validation.Queries.Select(q => q.RuleId).Distinct().Order(StringComparer.Ordinal).ToList(),
                SubmittedVersion = 1,
                SubmittedAt = new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero),
                AcceptedAt = new DateTimeOffset(2025, 12, 20, 12, 0, 0, TimeSpan.Zero),
                AcceptedBy = "synthetic demo data",
                LastModifiedAt = new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero),
                LastModifiedBy = "synthetic demo data",
            });
        }

        await db.SaveChangesAsync(ct);
        await CollectionSetup.EnsureReturnsAsync(db, current.Id, ct);
    }
}
