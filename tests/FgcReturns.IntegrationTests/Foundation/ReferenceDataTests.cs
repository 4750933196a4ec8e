using FgcReturns.Core.Data;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Foundation;

public sealed class ReferenceDataTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private FgcDbContext Db() => app.Factory.Services.CreateScope().ServiceProvider.GetRequiredService<FgcDbContext>();

    [Fact]
    public async Task Seed_LocalAuthorities_Has153WithRegionsAndTenNeighbours()
    {
        // Arrange
        var db = Db();
        var ct = TestContext.Current.CancellationToken;

        // Act
        var las = await db.LocalAuthorities.Include(l => l.Region).Include(l => l.Neighbours).AsSplitQuery().ToListAsync(ct);

        // Assert
        las.Count.ShouldBe(153);
        las.ShouldAllBe(l => l.Region != null);
        las.ShouldAllBe(l => l.Neighbours.Count == 10 && l.Neighbours.All(n => n.NeighbourLaCode != l.Code));
        (await db.Regions.CountAsync(ct)).ShouldBe(9);
        las.Count(l => l.Region!.Name == "London").ShouldBe(33);
    }

    [Fact]
    public async Task Seed_RealNamesAndCodes_MatchThePublishedLookup()
    {
        // Arrange
        var db = Db();
        var ct = TestContext.Current.CancellationToken;

        // Act
        var medway = await db.LocalAuthorities.Include(l => l.Region).SingleAsync(l => l.Code == TestData.Medway, ct);
        var barnsley = await db.LocalAuthorities.SingleAsync(l => l.Code == "370", ct);
        var medwayPopulation = await db.ChildPopulations.SingleAsync(p => p.LaCode == TestData.Medway && p.Year == 2024, ct);

        // Assert
        medway.Name.ShouldBe("Medway");
        medway.OnsCode.ShouldBe("E06000035");
        medway.Region!.Name.ShouldBe("South East");
        barnsley.OnsCode.ShouldBe("E08000038");
        medwayPopulation.Population.ShouldBe(68774);
    }

    [Fact]
    public async Task Seed_Population2024_SumsToEngland()
    {
        // Arrange
        var db = Db();

        // Act
        var total = await db.ChildPopulations.Where(p => p.Year == 2024).SumAsync(p => (long)p.Population, TestContext.Current.CancellationToken);

        // Assert
        total.ShouldBe(12_183_016);
    }
}
