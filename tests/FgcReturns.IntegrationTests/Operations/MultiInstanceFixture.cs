using System.Net;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Operations;

/// <summary>
/// The production shape on this machine: two web instances (A and B, Jobs__ServerEnabled=false) and one worker
/// (<c>fgc worker</c>), each its own process, on one PostgreSQL database. An in-process host on the same database
/// (no job server) arranges data and reads results.
/// </summary>
public sealed class MultiInstanceFixture(DatabaseServerFixture database) : IAsyncLifetime
{
    public PortalProcess WebA { get; private set; } = null!;

    public PortalProcess WebB { get; private set; } = null!;

    public PortalProcess Worker { get; private set; } = null!;

    public FgcWebFactory Arranger { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateDatabaseAsync();
        Arranger = new FgcWebFactory(ConnectionString);
        _ = Arranger.Services;
        WebA = PortalProcess.Web("web A", ConnectionString);
        WebB = PortalProcess.Web("web B", ConnectionString);
        Worker = PortalProcess.Worker("worker", ConnectionString);
        await Task.WhenAll(WebA.StartAsync(), WebB.StartAsync(), Worker.StartAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(WebA.DisposeAsync().AsTask(), WebB.DisposeAsync().AsTask(), Worker.DisposeAsync().AsTask());
        await Arranger.DisposeAsync();
    }

    public async Task EnsureWorkerRunningAsync()
    {
        if (!Worker.IsRunning)
        {
            await Worker.StartAsync();
        }
    }

    /// <summary>A client without automatic redirects whose cookies go to every instance (all are 127.0.0.1).</summary>
    public static HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Signs in through an instance's real sign-in form.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, PortalProcess on, string email)
    {
        var form = await client.GetStringAsync(new Uri(on.Address, "/account/sign-in"));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = SignInExtensions.DemoPassword,
        });
        return await client.PostAsync(new Uri(on.Address, "/account/sign-in"), content);
    }

    /// <summary>Posts the review page's accept form to <paramref name="postTo"/> with a token from <paramref name="tokenFrom"/>'s page.</summary>
    public static async Task<HttpResponseMessage> AcceptAsync(HttpClient client, PortalProcess tokenFrom, PortalProcess postTo, int returnId, string? token = null)
    {
        var page = await client.GetStringAsync(new Uri(tokenFrom.Address, $"/review/{returnId}"));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "review-action",
            ["__RequestVerificationToken"] = token ?? SignInExtensions.AntiforgeryToken(page),
            ["Form.Decision"] = "accept",
            ["Form.Version"] = "1",
        });
        return await client.PostAsync(new Uri(postTo.Address, $"/review/{returnId}"), content);
    }

    /// <summary>Marks LAs' 2025-26 returns as submitted (version 1) with valid figures, ready to accept; returns their ids.</summary>
    public Task<List<int>> SubmitAsync(params string[] laCodes) =>
        Arranger.WithDbAsync(async db =>
        {
            var returns = await db.Returns.Where(r => r.Collection!.Period == TestData.OpenPeriod && laCodes.Contains(r.LaCode)).ToListAsync();
            foreach (var ret in returns)
            {
                ret.Values = ReturnValuesBuilder.ValidFgc10().Build().ToDictionary();
                ret.Status = ReturnStatus.Submitted;
                ret.SubmittedVersion = 1;
                ret.SubmittedAt = DateTimeOffset.UtcNow;
            }

            await db.SaveChangesAsync();
            return returns.Select(r => r.Id).ToList();
        });

    /// <summary>Every finished or running build, oldest first.</summary>
    public Task<List<BenchmarkBuild>> BuildsAsync() =>
        Arranger.WithDbAsync(db => db.Set<BenchmarkBuild>().AsNoTracking().OrderBy(b => b.StartedAt).ToListAsync());

    /// <summary>Waits until <paramref name="done"/> holds for the builds, or fails after the timeout.</summary>
    public async Task<List<BenchmarkBuild>> WaitForBuildsAsync(Func<List<BenchmarkBuild>, bool> done, TimeSpan timeout, string waitingFor)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var builds = await BuildsAsync();
            if (done(builds))
            {
                return builds;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out waiting for {waitingFor}. Builds: {string.Join("; ", builds.Select(b => $"{b.Id} {b.Kind} {b.Trigger} {b.Status} {b.StartedAt:O}"))}{Environment.NewLine}Worker output:{Environment.NewLine}{Worker.Output}");
            }

            await Task.Delay(100);
        }
    }
}
