using System.Data.Common;
using System.Net.Sockets;
using System.Security.Claims;
using Bunit;
using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Email;
using FgcReturns.Core.Identity;
using FgcReturns.Core.PeerInsight;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using FgcReturns.Web.Components.Pages.Returns;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FgcReturns.Web.Tests.Returns;

/// <summary>One private PostgreSQL, migrated and seeded, for the section page tests.</summary>
public sealed class SectionPageDatabase : IAsyncLifetime
{
    public TestDatabaseServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await TestDatabaseServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The LA's section page with the real save path (ReturnService on PostgreSQL) and faults injected under it: whatever
/// makes a save fail, no exception escapes the page's event handlers (which would end the Blazor circuit), the page
/// says what happened, and what was typed is kept and saved once the fault has gone.
/// </summary>
public sealed class SectionPageSaveFailureTests(SectionPageDatabase database) : BunitContext, IClassFixture<SectionPageDatabase>, IAsyncLifetime
{
    private const string Lead = TestData.Users.MedwayLead;
    private const string Key = "referrals_children";
    private readonly Faults faults = new();
    private string connectionString = "";
    private int returnId;

    public async ValueTask InitializeAsync()
    {
        connectionString = await database.Server.CreateDatabaseAsync();
        Services.AddSingleton<TimeProvider>(new TestClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        Services.AddSingleton(new SurveyDefinitionCatalog(Path.Combine(FgcReturns.Core.Data.Extensions.RepositoryRoot(AppContext.BaseDirectory), "survey-definitions")));
        Services.AddDbContextFactory<FgcDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention().AddInterceptors(faults, faults.OnSave));
        Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<FgcDbContext>>().CreateDbContext());
        Services.AddSingleton<IEmailSender, NoEmail>();
        Services.AddSingleton(new EmailOptions());
        Services.AddScoped<ReturnEmailNotifier>();
        Services.AddPeerInsight();
        Services.AddScoped<ReturnService>();
        Services.AddScoped<ReturnReviewService>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        await using var db = Plain();
        var userId = await db.Users.Where(u => u.Email == Lead).Select(u => u.Id).SingleAsync(Xunit.TestContext.Current.CancellationToken);
        returnId = await db.Returns.Where(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.OpenPeriod).Select(r => r.Id).SingleAsync(Xunit.TestContext.Current.CancellationToken);
        auth.SetAuthorized(Lead);
        auth.SetRoles(Roles.LaDataLead);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Email, Lead), new Claim(FgcClaimTypes.LaCode, TestData.Medway));
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await base.DisposeAsync();

    public static TheoryData<string> FaultKinds => ["database down", "row version conflict on every try", "unexpected exception"];

    [Theory]
    [MemberData(nameof(FaultKinds))]
    public async Task TypeAnAnswer_SaveFails_PageStaysAliveSaysNotSavedKeepsTheValueAndSavesWhenTheFaultGoes(string fault)
    {
        // Arrange
        var cut = Render<SectionPage>(p => p.Add(x => x.ReturnId, returnId).Add(x => x.SectionKey, "referrals"));
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldBe("Your answers are saved as you go."));
        faults.Arm(fault);

        // Act: no exception may come out of the handler (in a circuit, that ends the page).
        await cut.Find($"#{Key}").ChangeAsync(new ChangeEventArgs { Value = "41" });

        // Assert: told it is not saved, with the value still in its field.
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldStartWith("Not saved"), TimeSpan.FromSeconds(10));
        cut.Find("#save-status").ClassList.ShouldContain("govuk-error-message");
        cut.Find($"#{Key}").GetAttribute("value").ShouldBe("41");
        (await StoredAsync()).ShouldBeNull();

        // The fault goes: the page's own retry saves what was typed, without a reload.
        faults.Disarm();
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldBe("Saved."), TimeSpan.FromSeconds(15));
        cut.Find($"#{Key}").GetAttribute("value").ShouldBe("41");
        (await StoredAsync()).ShouldBe("41");
    }

    [Fact]
    public void OpenTheSection_DatabaseDown_ShowsAProblemPageNotAnExceptionAndNoEmptyForm()
    {
        // Arrange: the database cannot be reached when the page opens (in a circuit, an exception here ends the page).
        faults.Arm("database down");

        // Act
        var cut = Render<SectionPage>(p => p.Add(x => x.ReturnId, returnId).Add(x => x.SectionKey, "referrals"));

        // Assert: the GOV.UK problem page, a way to try again, and no form whose empty boxes would look like lost answers.
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Sorry, there is a problem with the service"));
        cut.Find("#load-problem").TextContent.ShouldContain("Your saved answers are safe.");
        cut.FindAll("a.govuk-link").Select(a => a.TextContent).ShouldContain("Try again");
        cut.FindAll($"#{Key}").ShouldBeEmpty();
    }

    [Fact]
    public async Task TypeAnAnswer_SomeoneElseChangedItMeanwhile_PageStaysAliveShowsBothAnswersAndCanUseMine()
    {
        // Arrange: the page is open; a colleague saves 30 for the same question.
        var cut = Render<SectionPage>(p => p.Add(x => x.ReturnId, returnId).Add(x => x.SectionKey, "referrals"));
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldBe("Your answers are saved as you go."));
        await SaveAsColleagueAsync("30");

        // Act
        await cut.Find($"#{Key}").ChangeAsync(new ChangeEventArgs { Value = "41" });

        // Assert: both answers shown, nothing of mine lost; "Use my answers instead" saves mine.
        cut.WaitForAssertion(() => cut.Find("#conflict").TextContent.ShouldContain("Your answer, 41, has not been saved"));
        cut.Find("#save-status").TextContent.ShouldBe("Not saved: someone else changed this answer.");
        (await StoredAsync()).ShouldBe("30");
        await cut.Find("#conflict button.govuk-button:not(.govuk-button--secondary)").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldBe("Saved."));
        (await StoredAsync()).ShouldBe("41");
    }

    [Fact]
    public async Task ExplainAQuery_DatabaseDown_PageStaysAliveSaysNotSavedKeepsTheTextAndSavesItWhenTheDatabaseIsBack()
    {
        // Arrange: an FGC service with no children referred raises query Q04 beside "children referred".
        await SaveAsColleagueAsync("0", ("service_model", "in_house"));
        var cut = Render<SectionPage>(p => p.Add(x => x.ReturnId, returnId).Add(x => x.SectionKey, "referrals"));
        cut.WaitForAssertion(() => cut.Find("#explain-Q04").ShouldNotBeNull(), TimeSpan.FromSeconds(10));
        faults.Arm("database down");

        // Act
        await cut.Find("#explain-Q04").ChangeAsync(new ChangeEventArgs { Value = "The service started in March." });

        // Assert: told, text still in the box, nothing stored; once the database is back the page saves it by itself
        // (typing the same text again would not fire a change, so it must).
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldStartWith("Your explanation was not saved because of a problem on our side."), TimeSpan.FromSeconds(10));
        cut.Find("#explain-Q04").GetAttribute("value").ShouldBe("The service started in March.");
        faults.Disarm();
        cut.WaitForAssertion(() => cut.Find("#save-status").TextContent.ShouldBe("Explanation saved."), TimeSpan.FromSeconds(15));
        await using var db = Plain();
        (await db.Returns.AsNoTracking().SingleAsync(r => r.Id == returnId, Xunit.TestContext.Current.CancellationToken)).Explanations["Q04"].ShouldBe("The service started in March.");
    }

    /// <summary>A second active data lead for Medway saves an answer, as a colleague's browser would.</summary>
    private async Task SaveAsColleagueAsync(string value, params (string Key, string Value)[] more)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FgcDbContext>();
        var colleagueId = await db.Users.Where(u => u.Email == Lead).Select(u => u.Id).SingleAsync(Xunit.TestContext.Current.CancellationToken);
        var colleague = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, colleagueId), new Claim(ClaimTypes.Email, "colleague@medway.example"), new Claim(ClaimTypes.Role, Roles.LaDataLead), new Claim(FgcClaimTypes.LaCode, TestData.Medway)], "test"));
        var saved = await scope.ServiceProvider.GetRequiredService<ReturnService>()
            .SaveAsync(colleague, returnId, [new ValueChange(Key, StoredAnswer.Unanswered, StoredAnswer.Of(value)), .. more.Select(m => new ValueChange(m.Key, StoredAnswer.Unanswered, StoredAnswer.Of(m.Value)))], ChangeSource.Form, Xunit.TestContext.Current.CancellationToken);
        saved.Status.ShouldBe(OutcomeStatus.Done, saved.Message);
    }

    private async Task<string?> StoredAsync()
    {
        await using var db = Plain();
        var ret = await db.Returns.AsNoTracking().SingleAsync(r => r.Id == returnId, Xunit.TestContext.Current.CancellationToken);
        return ret.Values.GetValueOrDefault(Key);
    }

    /// <summary>A context without the faults, to read and arrange data as it is.</summary>
    private FgcDbContext Plain() => new(new DbContextOptionsBuilder<FgcDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>Faults under the save path: every command fails as if PostgreSQL had gone, or saves throw.</summary>
    private sealed class Faults : DbCommandInterceptor
    {
        private volatile string? kind;

        public SaveFaults OnSave { get; }

        public Faults() => OnSave = new SaveFaults(this);

        public string? Kind => kind;

        public void Arm(string fault) => kind = fault;

        public void Disarm() => kind = null;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (kind == "database down")
            {
                throw new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class SaveFaults(Faults faults) : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) => faults.Kind switch
        {
            "row version conflict on every try" => throw new DbUpdateConcurrencyException("The database operation was expected to affect 1 row(s), but actually affected 0 row(s)."),
            "unexpected exception" => throw new InvalidOperationException("Something nobody expected."),
            _ => base.SavingChangesAsync(eventData, result, cancellationToken),
        };
    }

    private sealed class NoEmail : IEmailSender
    {
        public Task SendAsync(EmailMessage message, CancellationToken ct = default) => Task.CompletedTask;
    }
}
