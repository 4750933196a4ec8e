using FgcReturns.Core.Data;
using FgcReturns.Core.SurveyDefinitions;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Collections;

/// <summary>
/// Records every definition version's content hash at start-up. A published version whose file has changed
/// since it was recorded stops the portal: published definitions are immutable, changes go into a new version.
/// </summary>
public static class DefinitionRegistry
{
    public static async Task SyncAsync(FgcDbContext db, SurveyDefinitionCatalog catalog, TimeProvider clock, CancellationToken ct = default)
    {
        if (catalog.Problems.Count > 0)
        {
            throw new StartupException(
                "The survey definitions have problems; fix them (check with 'dotnet run --project src/FgcReturns.Cli -- definitions check survey-definitions'):"
                + Environment.NewLine + string.Join(Environment.NewLine, catalog.Problems.Select(p => $"{p.File}:{p.Line}:{p.Column}: {p.Message}")));
        }

        var recorded = await db.SurveyDefinitions.ToListAsync(ct);
        var changed = PublishedDefinitionGuard.FindChangedPublished(
            catalog.All,
            recorded.Where(r => r.Status == nameof(DefinitionStatus.Published)).ToDictionary(r => (r.SurveyId, r.Version), r => r.ContentHash));
        if (changed.Count > 0)
        {
            throw new StartupException(string.Join(Environment.NewLine, changed.Select(p => $"{p.File}: {p.Message}")));
        }

        foreach (var definition in catalog.All)
        {
            var record = recorded.SingleOrDefault(r => r.SurveyId == definition.SurveyId && r.Version == definition.Version);
            if (record is null)
            {
                db.SurveyDefinitions.Add(new SurveyDefinitionRecord
                {
                    SurveyId = definition.SurveyId,
                    Version = definition.Version,
                    ContentHash = definition.ContentHash,
                    Status = definition.Status.ToString(),
                    Title = definition.Title,
                    SourceFile = Path.GetFileName(definition.SourcePath),
                    FirstSeenAt = clock.GetUtcNow(),
                });
            }
            else if (record.Status != nameof(DefinitionStatus.Published))
            {
                // Drafts may change until they are published; the hash then freezes.
                record.ContentHash = definition.ContentHash;
                record.Status = definition.Status.ToString();
                record.Title = definition.Title;
            }
            else if (definition.Status != DefinitionStatus.Published)
            {
                record.Status = definition.Status.ToString();
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
