using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Returns;

public sealed class ReturnServiceTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private TestSupport.FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        // A fresh database per test: these tests change returns.
        factory = new TestSupport.FgcWebFactory(await database.Server.CreateDatabaseAsync());
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().Build());
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private Task<T> Service<T>(Func<ReturnService, Task<T>> action) => factory.WithServiceAsync(action);

    [Fact]
    public async Task ListOwnLa_DataLead_ListsOnlyTheirLasReturnsNewestFirst()
    {
        // Arrange: Medway's lead; every LA has returns, and Medway has last year's too.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var medwayIds = await factory.WithDbAsync(db => db.Returns.Where(r => r.LaCode == TestData.Medway).OrderByDescending(r => r.Collection!.PeriodStart).Select(r => r.Id).ToListAsync());

        // Act
        var listed = await Service(s => s.ListOwnLaAsync(lead));

        // Assert
        medwayIds.Count.ShouldBeGreaterThan(1);
        listed.Select(r => r.Id).ShouldBe(medwayIds);
        listed.ShouldAllBe(r => r.LaCode == TestData.Medway && r.Collection != null);
    }

    [Fact]
    public async Task HomePage_DataLead_LinksOnlyTheirLasReturns()
    {
        // Arrange
        using var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        var medwayIds = await factory.WithDbAsync(db => db.Returns.Where(r => r.LaCode == TestData.Medway).OrderByDescending(r => r.Collection!.PeriodStart).Select(r => r.Id).ToListAsync());

        // Act
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        var linked = System.Text.RegularExpressions.Regex.Matches(home, "href=\"/returns/(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        linked.ShouldBe(medwayIds);
    }

    [Fact]
    public async Task ListOwnLa_Analyst_ListsNothing()
    {
        // Arrange
        var analyst = await factory.PrincipalAsync(TestData.Users.Analyst);

        // Act
        var listed = await Service(s => s.ListOwnLaAsync(analyst));

        // Assert
        listed.ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_Change_StoresCanonicalValueAuditAndStatus()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);

        // Act
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of(" 1,234 "))], ChangeSource.Form));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Done);
        var saved = await factory.OpenReturnAsync(TestData.Medway);
        saved.Values["families_offered"].ShouldBe("1234");
        saved.Status.ShouldBe(ReturnStatus.InProgress);
        saved.LastModifiedBy.ShouldBe(TestData.Users.MedwayLead);
        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == ret.Id).ToListAsync());
        audit.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.ItemKey.ShouldBe("families_offered"),
            a => a.OldValue.ShouldBe("(blank)"),
            a => a.NewValue.ShouldBe("1234"),
            a => a.UserEmail.ShouldBe(TestData.Users.MedwayLead),
            a => a.Source.ShouldBe("form"));
    }

    [Fact]
    public async Task Save_NotRecorded_IsDistinctFromZero()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);

        // Act
        await Service(s => s.SaveAsync(lead, ret.Id,
        [
            new ValueChange("review_fgcs_held", StoredAnswer.Unanswered, StoredAnswer.NotRecorded),
            new ValueChange("children_disabled", StoredAnswer.Unanswered, StoredAnswer.Of("0")),
        ], ChangeSource.Form));

        // Assert
        var saved = await factory.OpenReturnAsync(TestData.Medway);
        saved.Values.ShouldContainKey("review_fgcs_held");
        saved.Values["review_fgcs_held"].ShouldBeNull();
        saved.Values["children_disabled"].ShouldBe("0");
    }

    [Fact]
    public async Task Save_SomeoneElseChangedTheSameField_IsAConflictNamingThem()
    {
        // Arrange: two people from Medway load the blank return.
        var first = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(first, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));

        // Act: the second still thinks the field is blank.
        var outcome = await Service(s => s.SaveAsync(first, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("40"))], ChangeSource.Form));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Conflict);
        var conflict = outcome.Conflicts.ShouldHaveSingleItem();
        conflict.Theirs.Text.ShouldBe("37");
        conflict.Yours.Text.ShouldBe("40");
        conflict.ChangedBy.ShouldBe(TestData.Users.MedwayLead);
        (await factory.OpenReturnAsync(TestData.Medway)).Values["families_offered"].ShouldBe("37");
    }

    [Fact]
    public async Task Save_SomeoneElseChangedAnotherField_KeepsBoth()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));

        // Act
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_accepted", StoredAnswer.Unanswered, StoredAnswer.Of("30"))], ChangeSource.Form));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Done);
        var saved = await factory.OpenReturnAsync(TestData.Medway);
        saved.Values["families_offered"].ShouldBe("37");
        saved.Values["families_accepted"].ShouldBe("30");
    }

    [Fact]
    public async Task Save_AnotherLasReturn_IsNotFoundAndChangesNothing()
    {
        // Arrange
        var leicester = await factory.PrincipalAsync(TestData.Users.LeicesterLead);
        var medwayReturn = await factory.OpenReturnAsync(TestData.Medway);

        // Act
        var outcome = await Service(s => s.SaveAsync(leicester, medwayReturn.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("1"))], ChangeSource.Form));
        var view = await Service(s => s.GetAsync(leicester, medwayReturn.Id));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.NotFound);
        view.ShouldBeNull();
        (await factory.OpenReturnAsync(TestData.Medway)).Values.ShouldBeEmpty();
    }

    [Fact]
    public async Task Submit_WithErrors_IsRefusedAndNothingIsFrozen()
    {
        // Arrange: accepted more than offered (E01).
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var values = ReturnValuesBuilder.ValidFgc10().With("families_accepted", "60").Build();
        await Service(s => s.SaveAsync(lead, ret.Id, values.AsChangesFromBlank(), ChangeSource.Form));

        // Act
        var outcome = await Service(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));

        // Assert
        outcome.Succeeded.ShouldBeFalse();
        outcome.Problems.ShouldContain(p => p.Message.StartsWith("Families who agreed to an FGC (60) cannot be more than families offered one", StringComparison.Ordinal));
        (await factory.WithDbAsync(db => db.ReturnSubmissions.CountAsync())).ShouldBe(0);
        (await factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.InProgress);
    }

    [Fact]
    public async Task Submit_UnexplainedQueryThenExplained_SubmitsSnapshot()
    {
        // Arrange: Q01 (held more FGCs than families agreed) needs an explanation.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var values = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "38").With("families_accepted", "37")
            .With("families_declined", "8").Build();
        await Service(s => s.SaveAsync(lead, ret.Id, values.AsChangesFromBlank(), ChangeSource.Form));

        // Act
        var refused = await Service(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));
        await Service(s => s.SaveExplanationAsync(lead, ret.Id, "Q01", "Two families agreed in March 2025 and met in April."));
        var submitted = await Service(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));

        // Assert
        refused.Problems.ShouldContain(p => p.Message.StartsWith("Explain this, or change the figures: Initial FGCs held (38)", StringComparison.Ordinal));
        submitted.Succeeded.ShouldBeTrue(submitted.Message);
        var snapshot = submitted.Value!;
        snapshot.Reference.ShouldBe("FGC-202526-887-1");
        snapshot.Values["fgcs_held"].ShouldBe("38");
        snapshot.Explanations["Q01"].ShouldStartWith("Two families");
        snapshot.DefinitionVersion.ShouldBe("1.0");
        snapshot.DefinitionHash.Length.ShouldBe(64);
        snapshot.DeclarationName.ShouldBe("Sam Head");
        (await factory.OpenReturnAsync(TestData.Medway)).Status.ShouldBe(ReturnStatus.Submitted);
    }

    [Fact]
    public async Task Submit_ReopenAndResubmit_NumbersVersionsAndKeepsTheFirst()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await Service(s => s.SaveAsync(lead, ret.Id, ReturnValuesBuilder.ValidFgc10().Build().AsChangesFromBlank(), ChangeSource.Form));
        (await Service(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"))).Succeeded.ShouldBeTrue();

        // Act
        var editWhileSubmitted = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("review_fgcs_held", StoredAnswer.Of("20"), StoredAnswer.Of("21"))], ChangeSource.Form));
        (await Service(s => s.ReopenAsync(lead, ret.Id))).Succeeded.ShouldBeTrue();
        await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("review_fgcs_held", StoredAnswer.Of("20"), StoredAnswer.Of("21"))], ChangeSource.Form));
        var second = await Service(s => s.SubmitAsync(lead, ret.Id, "Sam Head", "Head of Service"));

        // Assert
        editWhileSubmitted.Status.ShouldBe(OutcomeStatus.Refused);
        second.Value!.VersionNumber.ShouldBe(2);
        var versions = await Service(s => s.SubmissionsAsync(lead, ret.Id));
        versions.Select(v => v.VersionNumber).ShouldBe([2, 1]);
        versions.Single(v => v.VersionNumber == 1).Values["review_fgcs_held"].ShouldBe("20");
        versions.Single(v => v.VersionNumber == 2).Values["review_fgcs_held"].ShouldBe("21");
    }

    [Fact]
    public async Task Save_AfterTheDeadline_IsRefusedReadOnly()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        factory.Clock.Set(new DateTimeOffset(2026, 12, 19, 9, 0, 0, TimeSpan.Zero));

        // Act
        var outcome = await Service(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("5"))], ChangeSource.Form));
        var view = await Service(s => s.GetAsync(lead, ret.Id));

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.Message!.ShouldContain("deadline has passed");
        view!.CanEdit.ShouldBeFalse();
        (await factory.OpenReturnAsync(TestData.Medway)).Values.ShouldBeEmpty();
    }

    [Fact]
    public async Task Validate_YearOnYear_UsesThePreviousAcceptedReturn()
    {
        // Arrange: last year 30 FGCs held (PreviousFgc10); this year 70 is more than 50% and 10 higher.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var values = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "36").Build();
        await Service(s => s.SaveAsync(lead, ret.Id, values.AsChangesFromBlank(), ChangeSource.Form));
        var calm = await Service(s => s.GetAsync(lead, ret.Id));
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().With("fgcs_held", "10").Build());

        // Act
        var jumped = await Service(s => s.GetAsync(lead, ret.Id));

        // Assert
        calm!.Previous!.Period.ShouldBe(TestData.PreviousPeriod);
        calm.Validation.Issues.ShouldNotContain(i => i.RuleId == "Q02");
        jumped!.Validation.Queries.ShouldContain(i => i.RuleId == "Q02");
    }
}
