using FgcReturns.Core;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Returns;

/// <summary>An unconfirmed upload preview lasts 24 hours: then it cannot be confirmed and is purged.</summary>
public sealed class UploadExpiryTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() => factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Apply_PreviewOlderThan24Hours_RefusedPurgedAndNothingSaved()
    {
        // Arrange: a clean CSV checked, then left for a day and a minute.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var csv = System.Text.Encoding.UTF8.GetBytes("item_key,value\nfamilies_offered,12\n");
        var check = await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s => s.CheckAsync(lead, ret.Id, new MemoryStream(csv), "medway.csv", csv.Length));
        factory.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        // Act
        var preview = await factory.WithServiceAsync<ReturnUploadService, UploadPreview?>(s => s.PreviewAsync(lead, ret.Id, check.UploadId!.Value));
        var apply = await factory.WithServiceAsync<ReturnUploadService, SaveOutcome>(s => s.ApplyAsync(lead, ret.Id, check.UploadId!.Value));
        var left = await factory.WithDbAsync(db => db.PendingUploads.CountAsync());

        // Assert
        check.UploadId.ShouldNotBeNull();
        preview.ShouldBeNull();
        apply.Status.ShouldBe(OutcomeStatus.Refused);
        apply.Problems.ShouldHaveSingleItem().ShouldBe(new Problem(ReturnUploadService.FileField, ReturnUploadService.ExpiredMessage));
        left.ShouldBe(0);
        (await factory.OpenReturnAsync(TestData.Medway)).Values.ShouldNotContainKey("families_offered");
    }

    [Fact]
    public async Task Purge_PreviewsOlderThan24Hours_DeletedNewerKept()
    {
        // Arrange
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var csv = System.Text.Encoding.UTF8.GetBytes("item_key,value\nfamilies_offered,12\n");
        await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s => s.CheckAsync(lead, ret.Id, new MemoryStream(csv), "old.csv", csv.Length));
        factory.Clock.Advance(TimeSpan.FromHours(25));
        await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s => s.CheckAsync(lead, ret.Id, new MemoryStream(csv), "new.csv", csv.Length));

        // Act
        var purged = await factory.WithServiceAsync<ReturnUploadService, int>(s => s.PurgeExpiredAsync());
        var left = await factory.WithDbAsync(db => db.PendingUploads.Select(u => u.FileName).ToListAsync());

        // Assert: the second check already purged the old one; the new one stays.
        purged.ShouldBe(0);
        left.ShouldBe(["new.csv"]);
    }
}
