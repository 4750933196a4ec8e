using System.Collections.Concurrent;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Collections;

/// <summary>
/// The web host on a fresh copy of the seeded database, with a few 2025-26 returns moved on so the chase list has
/// something to filter and sort, and one LA renamed to look like a spreadsheet formula. Each user signs in once
/// (sign-in is rate limited to 10 a minute per address).
/// </summary>
public sealed class CollectionsWebFixture(DatabaseServerFixture database) : IAsyncLifetime
{
    public const string Analyst = TestData.Users.Analyst;
    public const string Administrator = TestData.Users.Administrator;
    public const string Lead = TestData.Users.MedwayLead;

    /// <summary>Hartlepool (805), renamed so that exports must neutralise it.</summary>
    public const string FormulaName = "=HYPERLINK(\"http://evil.example\",\"Hartlepool\")";

    private readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> clients = new(StringComparer.Ordinal);
    private FgcWebFactory? factory;

    public FgcWebFactory Factory => factory ?? throw new InvalidOperationException("The web host has not started.");

    public int OpenCollectionId { get; private set; }

    public Task<HttpClient> ClientAsync(string email) =>
        clients.GetOrAdd(email, e => new Lazy<Task<HttpClient>>(() => Factory.CreateBrowserlessClient().SignedInAsync(e))).Value;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        OpenCollectionId = await factory.WithDbAsync(async db =>
        {
            var collection = await db.Collections.SingleAsync(c => c.Period == TestData.OpenPeriod);
            var returns = await db.Returns.Where(r => r.CollectionId == collection.Id).ToDictionaryAsync(r => r.LaCode);
            var at = new DateTimeOffset(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);
            Move(returns[TestData.Medway], ReturnStatus.Submitted, errors: 0, queries: 2, version: 1, at);
            Move(returns["855"], ReturnStatus.Accepted, errors: 0, queries: 0, version: 2, at.AddDays(-3));
            Move(returns["856"], ReturnStatus.InProgress, errors: 5, queries: 1, version: 0, at.AddDays(1));
            Move(returns["840"], ReturnStatus.InProgress, errors: 2, queries: 7, version: 0, at.AddDays(-10));
            Move(returns["841"], ReturnStatus.ReturnedForAmendment, errors: 1, queries: 0, version: 1, at.AddDays(-1));
            (await db.LocalAuthorities.SingleAsync(l => l.Code == "805")).Name = FormulaName;
            await db.SaveChangesAsync();
            return collection.Id;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }
    }

    private static void Move(LaReturn ret, ReturnStatus status, int errors, int queries, int version, DateTimeOffset at)
    {
        ret.Status = status;
        ret.ErrorCount = errors;
        ret.QueryCount = queries;
        ret.QueryRuleIds = Enumerable.Range(1, queries).Select(i => $"Q{i}").ToList();
        ret.SubmittedVersion = version;
        ret.SubmittedAt = version > 0 ? at : null;
        ret.LastModifiedAt = at;
        ret.LastModifiedBy = "someone@la.example";
    }
}
