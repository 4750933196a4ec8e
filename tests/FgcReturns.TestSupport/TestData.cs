using System.Text.Json;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.TestSupport;

/// <summary>
/// The tests' own data, independent of the demo seed: the baseline every test database is cloned from (reference data,
/// five accounts, an accepted 2024-25 collection with fixed figures for every LA, an open 2025-26 collection) and
/// builders for anything a test needs beyond it. Changing the demo data cannot change what a test stands on.
/// </summary>
public static class TestData
{
    public const string SurveyId = "fgc-annual";

    public const string DefinitionVersion = "1.0";

    /// <summary>The open collection of the baseline, deadline 25 days after the test clock's day.</summary>
    public const string OpenPeriod = "2025-26";

    /// <summary>The closed collection of the baseline: every LA's return accepted, figures from Baseline/returns-2024-25.json.</summary>
    public const string PreviousPeriod = "2024-25";

    /// <summary>LA codes the baseline's accounts belong to.</summary>
    public const string Medway = "887";
    public const string Leicestershire = "855";
    public const string Leicester = "856";

    public const string Password = SignInExtensions.DemoPassword;

    /// <summary>The baseline's accounts; every one has <see cref="Password"/>.</summary>
    public static class Users
    {
        public const string MedwayLead = "lead.medway@fgc.example";
        public const string LeicestershireLead = "lead.leicestershire@fgc.example";
        public const string LeicesterLead = "lead.leicester@fgc.example";
        public const string Analyst = "analyst@fgc.example";
        public const string Administrator = "admin@fgc.example";
    }

    private static readonly (string Email, string Name, string Role, string? LaCode)[] BaselineAccounts =
    [
        (Users.MedwayLead, "Morgan Medway", Roles.LaDataLead, Medway),
        (Users.LeicestershireLead, "Lee Shire", Roles.LaDataLead, Leicestershire),
        (Users.LeicesterLead, "Lesley Leicester", Roles.LaDataLead, Leicester),
        (Users.Analyst, "Ana Lyst", Roles.Analyst, null),
        (Users.Administrator, "Addie Min", Roles.Administrator, null),
    ];

    /// <summary>Seeds the baseline into a migrated database holding reference data and roles (the template).</summary>
    public static async Task SeedBaselineAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<FgcDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var definition = services.GetRequiredService<SurveyDefinitionCatalog>().Get(SurveyId, DefinitionVersion)
            ?? throw new InvalidOperationException($"{SurveyId} {DefinitionVersion} is missing from survey-definitions.");

        var users = services.GetRequiredService<UserManager<FgcUser>>();
        foreach (var (email, name, role, laCode) in BaselineAccounts)
        {
            await CreateUserAsync(users, clock, email, role, laCode, name);
        }

        var previous = await CreateCollectionAsync(db, clock, 2024, CollectionStatus.Closed,
            opensOn: new DateOnly(2025, 10, 1), deadline: new DateOnly(2025, 12, 19), title: "FGC annual return 2024-25 (test figures)", ct: ct);
        var today = Core.UkTime.Today(clock);
        var open = await CreateCollectionAsync(db, clock, 2025, CollectionStatus.Open,
            opensOn: today.AddDays(-53), deadline: today.AddDays(25), title: "FGC annual return 2025-26", ct: ct);

        foreach (var (laCode, values) in PreviousYearFigures())
        {
            db.Returns.Add(AcceptedReturn(previous, definition, laCode, values,
                submittedAt: new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero), acceptedAt: new DateTimeOffset(2025, 12, 20, 12, 0, 0, TimeSpan.Zero)));
        }

        await db.SaveChangesAsync(ct);
        await CollectionSetup.EnsureReturnsAsync(db, open.Id, ct);
    }

    /// <summary>A collection of FGC annual return 1.0 for the financial year starting 1 April <paramref name="startYear"/>.</summary>
    public static async Task<Collection> CreateCollectionAsync(
        FgcDbContext db, TimeProvider clock, int startYear, CollectionStatus status, DateOnly? opensOn = null, DateOnly? deadline = null,
        string? title = null, string definitionVersion = DefinitionVersion, CancellationToken ct = default)
    {
        var collection = new Collection
        {
            SurveyId = SurveyId,
            DefinitionVersion = definitionVersion,
            Period = CollectionSetup.FinancialYearLabel(startYear),
            PeriodStart = new DateOnly(startYear, 4, 1),
            PeriodEnd = new DateOnly(startYear + 1, 3, 31),
            OpensOn = opensOn ?? new DateOnly(startYear + 1, 10, 1),
            Deadline = deadline ?? new DateOnly(startYear + 1, 12, 19),
            Status = status,
            CreatedAt = clock.GetUtcNow(),
            Title = title ?? $"FGC annual return {CollectionSetup.FinancialYearLabel(startYear)}",
        };
        db.Collections.Add(collection);
        await db.SaveChangesAsync(ct);
        return collection;
    }

    /// <summary>
    /// An accepted return with these figures, validated as a submission would be: any query it raises carries a
    /// standing explanation; figures with errors are refused, since no accepted return can have them.
    /// </summary>
    public static LaReturn AcceptedReturn(
        Collection collection, SurveyDefinition definition, string laCode, IReadOnlyDictionary<string, string?> values,
        DateTimeOffset submittedAt, DateTimeOffset acceptedAt)
    {
        var answers = new Dictionary<string, string?>(values, StringComparer.Ordinal);
        var validation = ValidationEngine.Validate(definition, answers, null);
        if (validation.HasErrors)
        {
            throw new InvalidOperationException($"Test figures for LA {laCode} fail validation: {string.Join("; ", validation.Errors.Select(e => e.Message))}");
        }

        return new LaReturn
        {
            CollectionId = collection.Id,
            LaCode = laCode,
            Status = ReturnStatus.Accepted,
            Values = answers,
            Explanations = validation.Queries.Select(q => q.RuleId).Distinct().ToDictionary(id => id, _ => "Test figures.", StringComparer.Ordinal),
            QueryCount = validation.Queries.Count(),
            QueryRuleIds = validation.Queries.Select(q => q.RuleId).Distinct().Order(StringComparer.Ordinal).ToList(),
            SubmittedVersion = 1,
            SubmittedAt = submittedAt,
            AcceptedAt = acceptedAt,
            AcceptedBy = "test data",
            LastModifiedAt = submittedAt,
            LastModifiedBy = "test data",
        };
    }

    /// <summary>An active account with <see cref="Password"/>, created unless one with the email exists.</summary>
    public static async Task<FgcUser> CreateUserAsync(
        UserManager<FgcUser> users, TimeProvider clock, string email, string role = Roles.LaDataLead, string? laCode = null, string? displayName = null)
    {
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return existing;
        }

        var user = new FgcUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName ?? email,
            LaCode = laCode,
            IsActive = true,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded || !(await users.AddToRoleAsync(user, role)).Succeeded)
        {
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        return user;
    }

    /// <summary>Every LA's accepted 2024-25 figures, as the file in Baseline/ holds them (null: "not recorded").</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> PreviousYearFigures()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Baseline", "returns-2024-25.json");
        var figures = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string?>>>(File.ReadAllText(path))
            ?? throw new InvalidOperationException($"{path} is empty.");
        return figures.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string?>)kv.Value, StringComparer.Ordinal);
    }
}
