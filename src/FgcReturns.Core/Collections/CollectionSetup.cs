using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Collections;

public static class CollectionSetup
{
    /// <summary>Gives every LA a not-started return for the collection (idempotent).</summary>
    public static async Task EnsureReturnsAsync(FgcDbContext db, int collectionId, CancellationToken ct = default)
    {
        var existing = await db.Returns.Where(r => r.CollectionId == collectionId).Select(r => r.LaCode).ToListAsync(ct);
        var missing = await db.LocalAuthorities.Where(l => !existing.Contains(l.Code)).Select(l => l.Code).ToListAsync(ct);
        foreach (var code in missing)
        {
            db.Returns.Add(new LaReturn { CollectionId = collectionId, LaCode = code, Status = ReturnStatus.NotStarted });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>"2025-26" for the financial year starting 1 April 2025.</summary>
    public static string FinancialYearLabel(int startYear) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{startYear}-{(startYear + 1) % 100:00}");
}
