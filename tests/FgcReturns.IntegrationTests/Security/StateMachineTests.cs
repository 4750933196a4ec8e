using FgcReturns.Core;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>Every state change on a return is allowed only from the right state, and refused with a clear message otherwise.</summary>
public sealed class StateMachineTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private FgcWebFactory Factory => app.Factory;

    public static TheoryData<ReturnStatus, string, string?> Cases => new()
    {
        // Analyst actions: (state, action, refusal or null when allowed)
        { ReturnStatus.NotStarted, "accept", "Only a submitted return can be accepted. This return has not been started." },
        { ReturnStatus.InProgress, "accept", "Only a submitted return can be accepted. This return is in progress." },
        { ReturnStatus.ReturnedForAmendment, "accept", "Only a submitted return can be accepted. This return has been returned to the local authority for amendment." },
        { ReturnStatus.Accepted, "accept", "Only a submitted return can be accepted. This return has already been accepted." },
        { ReturnStatus.Submitted, "accept", null },
        { ReturnStatus.InProgress, "send-back", "Only a submitted return can be returned for amendment. This return is in progress." },
        { ReturnStatus.Accepted, "send-back", "Only a submitted return can be returned for amendment. This return has already been accepted." },
        { ReturnStatus.Submitted, "send-back", null },
        { ReturnStatus.Submitted, "reopen", "Only an accepted return can be reopened. This return is submitted and waiting for review." },
        { ReturnStatus.InProgress, "reopen", "Only an accepted return can be reopened. This return is in progress." },
        { ReturnStatus.Accepted, "reopen", null },

        // The LA's own actions on its return.
        { ReturnStatus.Accepted, "edit", "This return has been accepted, so it cannot be changed. Contact the national team if something is wrong." },
        { ReturnStatus.Submitted, "edit", "This return has been submitted. Reopen it to make changes." },
        { ReturnStatus.Accepted, "la-reopen", "This return has been accepted. Ask the national team to reopen it." },
        { ReturnStatus.InProgress, "edit", null },
        { ReturnStatus.ReturnedForAmendment, "edit", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Action_FromState_IsAllowedOnlyFromTheRightState(ReturnStatus state, string action, string? refusal)
    {
        // Arrange: Leicestershire's return, valid values, put into the state under test.
        var ret = await Factory.OpenReturnAsync("855");
        var values = ReturnValuesBuilder.ValidFgc10().Build();
        await Factory.WithDbAsync(async db =>
        {
            var tracked = await db.Returns.SingleAsync(r => r.Id == ret.Id, TestContext.Current.CancellationToken);
            tracked.Status = state;
            tracked.Values = state == ReturnStatus.NotStarted ? [] : new Dictionary<string, string?>(values);
            tracked.SubmittedVersion = state is ReturnStatus.NotStarted or ReturnStatus.InProgress ? 0 : 1;
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        var analyst = await Factory.PrincipalAsync(TestData.Users.Analyst);
        var lead = await Factory.PrincipalAsync(TestData.Users.LeicestershireLead);

        // Act
        var message = action switch
        {
            "accept" => (await Factory.WithServiceAsync<ReturnReviewService, Outcome>(s => s.AcceptAsync(analyst, ret.Id))).Message,
            "send-back" => (await Factory.WithServiceAsync<ReturnReviewService, Outcome>(s => s.SendBackAsync(analyst, ret.Id, "Please check"))).Message,
            "reopen" => (await Factory.WithServiceAsync<ReturnReviewService, Outcome>(s => s.ReopenAsync(analyst, ret.Id, "Please check"))).Message,
            "edit" => (await Factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id,
                [new ValueChange("review_fgcs_held", StoredAnswer.From(values, "review_fgcs_held"), StoredAnswer.Of("19"))], ChangeSource.Form))).Message,
            "la-reopen" => (await Factory.WithServiceAsync<ReturnService, Outcome>(s => s.ReopenAsync(lead, ret.Id))).Message,
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        var after = await Factory.OpenReturnAsync("855");

        // Assert
        message.ShouldBe(refusal);
        if (refusal is not null)
        {
            after.Status.ShouldBe(state);
        }
        else if (action != "edit")
        {
            after.Status.ShouldNotBe(state);
        }
    }
}
