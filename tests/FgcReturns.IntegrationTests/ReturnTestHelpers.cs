using System.Security.Claims;
using FgcReturns.Core.Data;
using FgcReturns.Core.Identity;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests;

/// <summary>Runs services as a real signed-in user would: claims come from Identity, data from PostgreSQL.</summary>
public static class ReturnTestHelpers
{
    public static async Task<ClaimsPrincipal> PrincipalAsync(this FgcWebFactory factory, string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>();
        var claims = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<FgcUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        return await claims.CreateAsync(user);
    }

    /// <summary>A signed-up, active user of the LA (password <see cref="TestData.Password"/>), created unless it exists; returns the email.</summary>
    public static async Task<string> AddUserAsync(this FgcWebFactory factory, string email, string laCode, string role = Roles.LaDataLead)
    {
        using var scope = factory.Services.CreateScope();
        await TestData.CreateUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<FgcUser>>(), factory.Clock, email, role, laCode);
        return email;
    }

    public static async Task<T> WithServiceAsync<TService, T>(this FgcWebFactory factory, Func<TService, Task<T>> action)
        where TService : notnull
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static async Task<T> WithDbAsync<T>(this FgcWebFactory factory, Func<FgcDbContext, Task<T>> action)
    {
        using var scope = factory.Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<FgcDbContext>());
    }

    /// <summary>The LA's return in the baseline's open collection (<see cref="TestData.OpenPeriod"/>).</summary>
    public static Task<LaReturn> OpenReturnAsync(this FgcWebFactory factory, string laCode) =>
        factory.WithDbAsync(db => db.Returns.AsNoTracking().Include(r => r.Collection)
            .SingleAsync(r => r.LaCode == laCode && r.Collection!.Period == TestData.OpenPeriod));

    /// <summary>Replaces the LA's accepted <see cref="TestData.PreviousPeriod"/> figures, so year-on-year checks compare against known values.</summary>
    public static Task SetPreviousYearAsync(this FgcWebFactory factory, string laCode, IReadOnlyDictionary<string, string?> values) =>
        factory.WithDbAsync(async db =>
        {
            var previous = await db.Returns.SingleAsync(r => r.LaCode == laCode && r.Collection!.Period == TestData.PreviousPeriod);
            previous.Values = new Dictionary<string, string?>(values);
            return await db.SaveChangesAsync();
        });

    public static IReadOnlyList<ValueChange> AsChangesFromBlank(this IReadOnlyDictionary<string, string?> values) =>
        values.Select(kv => new ValueChange(kv.Key, StoredAnswer.Unanswered, kv.Value is null ? StoredAnswer.NotRecorded : StoredAnswer.Of(kv.Value))).ToList();
}
