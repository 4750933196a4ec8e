using System.Net;
using System.Text.Json.Nodes;
using FgcReturns.Core;
using FgcReturns.Core.ApiClients;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Api;

/// <summary>The submission API through the real host on real PostgreSQL, as an LA's case system calls it.</summary>
public sealed class SubmissionApiTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() => factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collections_MedwayClient_ListsMedwaysOpenReturnOnly()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);

        var response = await api.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var collections = (await response.JsonAsync()).AsArray();
        collections.Count.ShouldBe(1);
        collections[0]!["returnId"]!.GetValue<int>().ShouldBe(medway.Id);
        collections[0]!["period"]!.GetValue<string>().ShouldBe(TestData.OpenPeriod);
    }

    [Fact]
    public async Task EveryEndpoint_MedwayClientWithLeicesterReturnId_IsNotFoundAndLeicesterUnchanged()
    {
        // Arrange: Leicester has an answer; Medway's client learns Leicester's return id somehow.
        var leicesterLead = await factory.PrincipalAsync(ApiTestSupport.LeicesterLead);
        var leicester = await factory.OpenReturnAsync("856");
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(leicesterLead, leicester.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("30"))], ChangeSource.Form));
        var before = await factory.OpenReturnAsync("856");
        var auditBefore = await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.LaCode == "856"));
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var etag = ReturnApi.ETagOf(before.RowVersion);

        // Act
        var responses = new[]
        {
            await api.GetAsync(new Uri($"/api/v1/returns/{leicester.Id}", UriKind.Relative), Ct),
            await api.PatchJsonAsync($"/api/v1/returns/{leicester.Id}/values", "{\"families_offered\": 99}", etag),
            await api.PatchJsonAsync($"/api/v1/returns/{leicester.Id}/values", "{\"families_offered\": 99}", null),
            await api.PostJsonAsync($"/api/v1/returns/{leicester.Id}/validate", "{\"families_offered\": 99}"),
            await api.PatchJsonAsync($"/api/v1/returns/{leicester.Id}/explanations", "{\"Q01\": \"because\"}", etag),
        };
        var collections = await (await api.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct)).JsonAsync();

        // Assert: the same 404 as for a return that does not exist, and nothing of Leicester's anywhere.
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var body = await response.Content.ReadAsStringAsync(Ct);
            body.ShouldNotContain("Leicester");
            body.ShouldNotContain("\"30\"");
        }

        collections.AsArray().Select(c => c!["returnId"]!.GetValue<int>()).ShouldNotContain(leicester.Id);
        var after = await factory.OpenReturnAsync("856");
        after.Values.ShouldBe(before.Values);
        after.Explanations.ShouldBeEmpty();
        after.RowVersion.ShouldBe(before.RowVersion);
        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.LaCode == "856"))).ShouldBe(auditBefore);
        var missing = await api.GetAsync(new Uri("/api/v1/returns/999999", UriKind.Relative), Ct);
        (await missing.JsonAsync())["detail"]!.GetValue<string>().ShouldBe((await responses[0].JsonAsync())["detail"]!.GetValue<string>());
    }

    public static TheoryData<string> RefusedSecrets() => ["missing", "wrong", "revoked", "expired"];

    [Theory]
    [MemberData(nameof(RefusedSecrets))]
    public async Task Request_RefusedSecret_Is401WithProblemAndChangesNothing(string scenario)
    {
        var (client, secret) = await factory.CreateApiClientAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        switch (scenario)
        {
            case "missing":
                secret = "";
                break;
            case "wrong":
                secret = secret[..^2] + (secret[^2..] == "AA" ? "BB" : "AA");
                break;
            case "revoked":
                var lead = await factory.PrincipalAsync(ApiTestSupport.MedwayLead);
                (await factory.WithServiceAsync<ApiClientService, Outcome>(s => s.RevokeAsync(lead, client.Id))).Succeeded.ShouldBeTrue();
                break;
            case "expired":
                await factory.WithDbAsync(db => db.Set<ApiClient>().Where(c => c.Id == client.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, factory.Clock.GetUtcNow().AddSeconds(-1)), Ct));
                break;
        }

        var api = factory.ApiClient(secret);
        var read = await api.GetAsync(new Uri($"/api/v1/returns/{medway.Id}", UriKind.Relative), Ct);
        var patch = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", "{\"families_offered\": 7}", ReturnApi.ETagOf(medway.RowVersion));

        read.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        patch.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        read.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        read.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
        (await read.JsonAsync()).ProblemType().ShouldBe("problem-unauthorized");
        (await factory.OpenReturnAsync(TestData.Medway)).Values.ShouldNotContainKey("families_offered");
    }

    [Fact]
    public async Task Patch_ValidValues_SavesThemAndAnswersWithNewETagAndValidation()
    {
        var (client, secret) = await factory.CreateApiClientAsync(ApiTestSupport.MedwayLead, "Mosaic nightly");
        var api = factory.ApiClient(secret);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);

        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values",
            "{\"families_offered\": 50, \"families_accepted\": 5, \"review_fgcs_held\": null, \"service_model\": \"in_house\", \"referrals_by_stage.early_help\": 20}", etag);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        response.Headers.ETag!.ToString().ShouldNotBe(etag);
        body["etag"]!.GetValue<string>().ShouldBe(response.Headers.ETag!.ToString());
        body["values"]!["families_offered"]!.GetValue<decimal>().ShouldBe(50m);
        body["values"]!["review_fgcs_held"].ShouldBeNull();
        body["validation"]!["issues"]!.AsArray().Select(i => i!["ruleId"]!.GetValue<string>()).ShouldContain("Q03");
        var saved = await factory.OpenReturnAsync(TestData.Medway);
        saved.Values["families_offered"].ShouldBe("50");
        saved.Values.ShouldContainKey("review_fgcs_held");
        saved.Values["review_fgcs_held"].ShouldBeNull();
        saved.Status.ShouldBe(ReturnStatus.InProgress);
        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == medway.Id).ToListAsync(Ct));
        audit.Count.ShouldBe(5);
        audit.ShouldAllBe(a => a.Source == "api" && a.UserEmail!.Contains(client.Name) && a.UserEmail.Contains(ApiTestSupport.MedwayLead) && a.Detail!.Contains(client.Name));
    }

    [Fact]
    public async Task Patch_StaleETag_Is412AndNothingChanges()
    {
        // Arrange: the system reads, then the data lead types a value in the portal.
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);
        var lead = await factory.PrincipalAsync(ApiTestSupport.MedwayLead);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, medway.Id, [new ValueChange("children_disabled", StoredAnswer.From(medway.Values, "children_disabled"), StoredAnswer.Of("3"))], ChangeSource.Form));
        var before = await factory.OpenReturnAsync(TestData.Medway);
        var auditBefore = await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == medway.Id, Ct));

        // Act: the system sends a change to a different item with its old ETag.
        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", "{\"families_declined\": 4}", etag);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await response.JsonAsync()).ProblemType().ShouldBe("problem-precondition-failed");
        var after = await factory.OpenReturnAsync(TestData.Medway);
        after.Values.ShouldBe(before.Values);
        after.RowVersion.ShouldBe(before.RowVersion);
        (await factory.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.ReturnId == medway.Id, Ct))).ShouldBe(auditBefore);
    }

    [Fact]
    public async Task Patch_WithoutIfMatch_Is428AndNothingChanges()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);

        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", "{\"families_declined\": 4}", null);

        response.StatusCode.ShouldBe((HttpStatusCode)428);
        (await response.JsonAsync()).ProblemType().ShouldBe("problem-precondition-required");
        (await factory.OpenReturnAsync(TestData.Medway)).RowVersion.ShouldBe(medway.RowVersion);
    }

    [Fact]
    public async Task Patch_BadItems_Answers422WithTypeAndPointerPerItemAndAppliesNone()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);

        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", """
            {
              "families_offered": 12,
              "families_acepted": 3,
              "families_declined": "four",
              "fgcs_held": -1,
              "service_model": null,
              "referrals_by_stage": 5,
              "stages_offered": ["child_protection", "moon_base"],
              "a/b": 1
            }
            """, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.JsonAsync();
        problem.ProblemType().ShouldBe("problem-invalid-values");
        problem["status"]!.GetValue<int>().ShouldBe(422);
        problem.ProblemErrors().ShouldBe(
        [
            ("problem-unknown-item", "/families_acepted"),
            ("problem-wrong-type", "/families_declined"),
            ("problem-out-of-range", "/fgcs_held"),
            ("problem-not-recorded-not-allowed", "/service_model"),
            ("problem-unknown-item", "/referrals_by_stage"),
            ("problem-wrong-type", "/stages_offered"),
            ("problem-unknown-item", "/a~1b"),
        ]);
        problem["errors"]![4]!["detail"]!.GetValue<string>().ShouldContain("referrals_by_stage.early_help");
        var after = await factory.OpenReturnAsync(TestData.Medway);
        after.Values.ShouldNotContainKey("families_offered");
        after.RowVersion.ShouldBe(medway.RowVersion);
    }

    [Fact]
    public async Task Patch_DuplicateKeyOrMalformedOrEmptyBody_IsRefusedWithItsProblem()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);
        var url = $"/api/v1/returns/{medway.Id}/values";

        var duplicate = await api.PatchJsonAsync(url, "{\"families_offered\": 1, \"families_offered\": 2}", etag);
        var malformed = await api.PatchJsonAsync(url, "{\"families_offered\": 1,", etag);
        var empty = await api.PatchJsonAsync(url, "", etag);
        var notAnObject = await api.PatchJsonAsync(url, "[1, 2]", etag);

        duplicate.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await duplicate.JsonAsync()).ProblemErrors().ShouldBe([("problem-duplicate-item", "/families_offered")]);
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.JsonAsync()).ProblemType().ShouldBe("problem-malformed-body");
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        notAnObject.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await notAnObject.JsonAsync()).ProblemErrors().ShouldBe([("problem-wrong-type", "")]);
        (await factory.OpenReturnAsync(TestData.Medway)).RowVersion.ShouldBe(medway.RowVersion);
    }

    [Fact]
    public async Task Patch_OversizedBody_Is413AndNothingChanges()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);
        var huge = "{\"families_offered\": 1, \"padding\": \"" + new string('x', 70_000) + "\"}";

        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", huge, etag);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.JsonAsync()).ProblemType().ShouldBe("problem-body-too-large");
        (await factory.OpenReturnAsync(TestData.Medway)).RowVersion.ShouldBe(medway.RowVersion);
    }

    [Fact]
    public async Task Patch_AcceptedReturn_Is409ReadOnly()
    {
        // Medway's 2024-25 return is accepted, in a closed collection.
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var accepted = await factory.WithDbAsync(db => db.Returns.AsNoTracking().SingleAsync(r => r.LaCode == TestData.Medway && r.Collection!.Period == TestData.PreviousPeriod, Ct));

        var response = await api.PatchJsonAsync($"/api/v1/returns/{accepted.Id}/values", "{\"families_offered\": 1}", ReturnApi.ETagOf(accepted.RowVersion));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.JsonAsync();
        problem.ProblemType().ShouldBe("problem-return-read-only");
        problem["detail"]!.GetValue<string>().ShouldContain("accepted");
    }

    [Fact]
    public async Task Patch_ReturnInClosedCollection_Is409CollectionClosed()
    {
        // Leicestershire's 2024-25 return, put back in progress, in a collection whose deadline has passed.
        var closed = await factory.WithDbAsync(async db =>
        {
            var ret = await db.Returns.SingleAsync(r => r.LaCode == "855" && r.Collection!.Period == TestData.PreviousPeriod, Ct);
            ret.Status = ReturnStatus.InProgress;
            await db.SaveChangesAsync(Ct);
            return ret;
        });
        var api = await factory.ApiClientForAsync(TestData.Users.LeicestershireLead);

        var response = await api.PatchJsonAsync($"/api/v1/returns/{closed.Id}/values", "{\"families_offered\": 1}", ReturnApi.ETagOf(closed.RowVersion));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.JsonAsync();
        problem.ProblemType().ShouldBe("problem-collection-closed");
        problem["detail"]!.GetValue<string>().ShouldContain("deadline has passed");
    }

    [Fact]
    public async Task Validate_DryRun_GivesTheMergedResultAndChangesNothing()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);

        var response = await api.PostJsonAsync($"/api/v1/returns/{medway.Id}/validate", "{\"families_offered\": 50, \"families_accepted\": 60}");
        var bad = await api.PostJsonAsync($"/api/v1/returns/{medway.Id}/validate", "{\"families_offered\": \"lots\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var validation = await response.JsonAsync();
        validation["errorCount"]!.GetValue<int>().ShouldBeGreaterThan(0);
        validation["issues"]!.AsArray().ShouldContain(i => i!["itemKeys"]!.AsArray().Any(k => k!.GetValue<string>() == "families_accepted"));
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bad.JsonAsync()).ProblemErrors().ShouldBe([("problem-wrong-type", "/families_offered")]);
        var after = await factory.OpenReturnAsync(TestData.Medway);
        after.RowVersion.ShouldBe(medway.RowVersion);
        after.Values.ShouldBeEmpty();
    }

    [Fact]
    public async Task Explanations_QueryExplainedThenUnknownRule_SavesTheFirstAndRefusesTheSecretWithPointer()
    {
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var (_, etag) = await api.GetReturnAsync(medway.Id);
        var patched = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", "{\"families_offered\": 50, \"families_accepted\": 5}", etag);
        var etagAfterValues = patched.Headers.ETag!.ToString();

        var explained = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/explanations", "{\"Q03\": \"Most families chose another service.\"}", etagAfterValues);
        var unknown = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/explanations", "{\"Q03\": null, \"E99\": \"why\"}", explained.Headers.ETag!.ToString());

        explained.StatusCode.ShouldBe(HttpStatusCode.OK);
        var issue = (await explained.JsonAsync())["validation"]!["issues"]!.AsArray().Single(i => i!["ruleId"]!.GetValue<string>() == "Q03")!;
        issue["explanation"]!.GetValue<string>().ShouldBe("Most families chose another service.");
        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unknown.JsonAsync()).ProblemErrors().ShouldBe([("problem-unknown-item", "/E99")]);
        (await factory.OpenReturnAsync(TestData.Medway)).Explanations["Q03"].ShouldBe("Most families chose another service.");
    }

    [Fact]
    public async Task Patch_WholeReturnThroughApi_EqualsTheSameValuesTypedOnThePage()
    {
        // Arrange: Medway fills through the API, Leicester types the same values on the page (the form's save);
        // both have the same accepted figures last year, so year-on-year checks compare alike.
        var values = ReturnValuesBuilder.ValidFgc10().With("families_accepted", "5").NotRecorded("review_fgcs_held").Build();
        await factory.SetPreviousYearAsync(TestData.Medway, ReturnValuesBuilder.PreviousFgc10().Build());
        await factory.SetPreviousYearAsync("856", ReturnValuesBuilder.PreviousFgc10().Build());
        var api = await factory.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);
        var leicester = await factory.OpenReturnAsync("856");
        var (_, etag) = await api.GetReturnAsync(medway.Id);
        var leicesterLead = await factory.PrincipalAsync(ApiTestSupport.LeicesterLead);

        // Act
        var response = await api.PatchJsonAsync($"/api/v1/returns/{medway.Id}/values", factory.ToApiJson(values), etag);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(leicesterLead, leicester.Id, values.AsChangesFromBlank(), ChangeSource.Form));

        // Assert: same stored values, same checks, same audit apart from who and how.
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var medwayAfter = await factory.OpenReturnAsync(TestData.Medway);
        var leicesterAfter = await factory.OpenReturnAsync("856");
        var viaApi = await factory.WithServiceAsync<ReturnService, ReturnContext>(s => s.BuildContextAsync(medwayAfter));
        var viaPage = await factory.WithServiceAsync<ReturnService, ReturnContext>(s => s.BuildContextAsync(leicesterAfter));
        viaApi.Return.Values.ShouldBe(viaPage.Return.Values, ignoreOrder: true);
        viaApi.Validation.Issues.Select(i => (i.RuleId, i.Severity, i.Message)).ShouldBe(viaPage.Validation.Issues.Select(i => (i.RuleId, i.Severity, i.Message)));
        viaApi.Validation.Issues.ShouldContain(i => i.RuleId == "Q03");
        (viaApi.Return.ErrorCount, viaApi.Return.QueryCount).ShouldBe((viaPage.Return.ErrorCount, viaPage.Return.QueryCount));
        viaApi.Return.Status.ShouldBe(viaPage.Return.Status);
        var apiAudit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == medway.Id).OrderBy(a => a.ItemKey).Select(a => new { a.Action, a.ItemKey, a.OldValue, a.NewValue }).ToListAsync(Ct));
        var pageAudit = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == leicester.Id).OrderBy(a => a.ItemKey).Select(a => new { a.Action, a.ItemKey, a.OldValue, a.NewValue }).ToListAsync(Ct));
        apiAudit.ShouldBe(pageAudit);
        apiAudit.Count.ShouldBe(values.Count);
        var body = await response.JsonAsync();
        body["validation"]!["queryCount"]!.GetValue<int>().ShouldBe(viaPage.Return.QueryCount);
    }

    [Fact]
    public async Task Request_OverTheClientsRateLimit_Is429WithRetryAfterWhileAnotherClientIsServed()
    {
        await using var limited = new FgcWebFactory(await database.Server.CreateDatabaseAsync(), settings: new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "3" });
        var busy = await limited.ApiClientForAsync(ApiTestSupport.MedwayLead);
        var other = await limited.ApiClientForAsync(ApiTestSupport.MedwayLead);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await busy.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct);
            statuses.Add(last.StatusCode);
        }

        var otherResponse = await other.GetAsync(new Uri("/api/v1/collections", UriKind.Relative), Ct);

        statuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        int.Parse(last.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        (await last.JsonAsync()).ProblemType().ShouldBe("problem-rate-limited");
        otherResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryApiEndpointAndParses()
    {
        var http = factory.CreateBrowserlessClient();

        var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        document["openapi"]!.GetValue<string>().ShouldStartWith("3.");
        var paths = document["paths"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject().Select(m => m.Key).ToHashSet());
        paths.Keys.ShouldBe(["/api/v1/collections", "/api/v1/returns/{returnId}", "/api/v1/returns/{returnId}/values", "/api/v1/returns/{returnId}/validate", "/api/v1/returns/{returnId}/explanations"], ignoreOrder: true);
        paths["/api/v1/collections"].ShouldContain("get");
        paths["/api/v1/returns/{returnId}"].ShouldContain("get");
        paths["/api/v1/returns/{returnId}/values"].ShouldContain("patch");
        paths["/api/v1/returns/{returnId}/validate"].ShouldContain("post");
        paths["/api/v1/returns/{returnId}/explanations"].ShouldContain("patch");
        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
    }
}
