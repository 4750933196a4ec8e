using FgcReturns.Benchmarks;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Concurrency;

/// <summary>
/// The raw Blazor client behind the 500-circuit harness (tests/FgcReturns.Benchmarks), against the real host on a
/// Kestrel port: two data leads' circuits on one return type into different answers at the same moment, as the
/// harness does hundreds of times. Proves the client drives real circuits and that both people's answers are stored.
/// </summary>
public sealed class BlazorCircuitClientTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        factory.StartKestrel();
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task TwoCircuits_ChangeDifferentAnswersOfOneReturnAtOnce_BothStoredAndNeitherDies()
    {
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var page = $"/returns/{ret.Id}/sections/referrals";
        var first = await BlazorCircuitClient.SignInAsync(factory.ServerAddress, await factory.AddUserAsync("circuit.first@medway.example", TestData.Medway), SignInExtensions.DemoPassword, TestContext.Current.CancellationToken);
        var second = await BlazorCircuitClient.SignInAsync(factory.ServerAddress, await factory.AddUserAsync("circuit.second@medway.example", TestData.Medway), SignInExtensions.DemoPassword, TestContext.Current.CancellationToken);
        await using var children = await BlazorCircuitClient.OpenAsync(factory.ServerAddress, first, page, Timeout, TestContext.Current.CancellationToken);
        await using var families = await BlazorCircuitClient.OpenAsync(factory.ServerAddress, second, page, Timeout, TestContext.Current.CancellationToken);
        children.Inputs.ShouldContain("referrals_children");
        families.Inputs.ShouldContain("referrals_families");

        for (var n = 1; n <= 3; n++)
        {
            await Task.WhenAll(
                children.ChangeAsync("referrals_children", $"{200 + n}", Timeout),
                families.ChangeAsync("referrals_families", $"{100 + n}", Timeout));
        }

        children.SaveCount.ShouldBe(3);
        families.SaveCount.ShouldBe(3);
        children.SaveStatus.ShouldStartWith("Saved");
        families.SaveStatus.ShouldStartWith("Saved");
        children.Error.ShouldBeNull();
        families.Error.ShouldBeNull();
        var stored = await factory.WithDbAsync(db => db.Returns.AsNoTracking().SingleAsync(r => r.Id == ret.Id));
        stored.Values["referrals_children"].ShouldBe("203");
        stored.Values["referrals_families"].ShouldBe("103");
    }
}
