using System.Net;
using System.Net.Http.Headers;
using ClosedXML.Excel;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Returns;

public sealed class UploadTests(DatabaseServerFixture database) : IAsyncLifetime
{
    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync() => factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task TemplateUpload_FilledInExcel_PreviewsThenAppliesThroughTheForm()
    {
        // Arrange: the data lead downloads the template and fills it in as a person would.
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var template = await client.GetByteArrayAsync(new Uri($"/returns/{ret.Id}/template.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);
        var valid = ReturnValuesBuilder.ValidFgc10().Build();
        var filled = Fill(template, sheetCell =>
        {
            sheetCell("families_offered").Value = "1,050";
            sheetCell("families_accepted").Value = 40;
            sheetCell("review_fgcs_held").Value = "NR";
            sheetCell("service_model").Value = "In-house";
        });

        // Act: upload, see the preview, confirm.
        var upload = await PostUploadAsync(client, ret.Id, filled, "medway.xlsx");
        var previewUrl = upload.Headers.Location!.PathAndQuery;
        var preview = await client.GetStringAsync(new Uri(previewUrl, UriKind.Relative), TestContext.Current.CancellationToken);
        var beforeApply = await factory.OpenReturnAsync(TestData.Medway);
        using var apply = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "apply",
            ["__RequestVerificationToken"] = SignInExtensions.AntiforgeryToken(preview),
        });
        var applied = await client.PostAsync(new Uri(previewUrl, UriKind.Relative), apply, TestContext.Current.CancellationToken);

        // Assert
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        preview.ShouldContain("Check the changes from your file");
        preview.ShouldContain("4 answers would change");
        beforeApply.Values.ShouldBeEmpty();
        applied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var saved = await factory.OpenReturnAsync(TestData.Medway);
        saved.Values["families_offered"].ShouldBe("1050");
        saved.Values["families_accepted"].ShouldBe("40");
        saved.Values["review_fgcs_held"].ShouldBeNull();
        saved.Values["service_model"].ShouldBe(valid["service_model"]);
        var sources = await factory.WithDbAsync(db => db.AuditEvents.Where(a => a.ReturnId == ret.Id).Select(a => a.Source).Distinct().ToListAsync());
        sources.ShouldBe(["upload"]);
    }

    public static TheoryData<string, string, string> BadUploads() => new()
    {
        { "text-in-a-count", "medway.xlsx", "'twelve' is not a whole number" },
        { "negative", "medway.xlsx", "must be 0 or more" },
        { "not-a-spreadsheet", "picture.png", "is not an Excel workbook (.xlsx) or a CSV file" },
        { "old-excel", "medway.xls", "old Excel 97-2003" },
        { "corrupt", "medway.xlsx", "could not be opened" },
        { "empty", "medway.xlsx", "The file is empty" },
        { "too-large", "medway.csv", "larger than 5 MB" },
        { "another-la", "leicester.xlsx", "Leicester" },
        { "csv-unknown-key", "medway.csv", "Line 2" },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Upload_BadFile_ListsTheSpecificProblemAndChangesNothing(string scenario, string fileName, string expected)
    {
        // Arrange: something is already saved, which a bad upload must not touch.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));
        var bytes = await BadFileAsync(scenario, ret.Id);
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);

        // Act
        var response = await PostUploadAsync(client, ret.Id, bytes, fileName);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("There is a problem with the file");
        WebUtility.HtmlDecode(page).ShouldContain(expected);
        var after = await factory.OpenReturnAsync(TestData.Medway);
        after.Values.ShouldBe(new Dictionary<string, string?> { ["families_offered"] = "37" });
        (await factory.WithDbAsync(db => db.PendingUploads.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task Upload_AnotherLasReturn_IsNotFound()
    {
        // Arrange
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.LeicesterLead);
        var medway = await factory.OpenReturnAsync(TestData.Medway);

        // Act
        var template = await client.GetAsync(new Uri($"/returns/{medway.Id}/template.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);
        var page = await client.GetAsync(new Uri($"/returns/{medway.Id}/upload", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        template.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<byte[]> BadFileAsync(string scenario, int returnId)
    {
        var client = await factory.CreateBrowserlessClient().SignedInAsync(TestData.Users.MedwayLead);
        async Task<byte[]> TemplateFor(string email, int id)
        {
            var c = await factory.CreateBrowserlessClient().SignedInAsync(email);
            return await c.GetByteArrayAsync(new Uri($"/returns/{id}/template.xlsx", UriKind.Relative));
        }

        return scenario switch
        {
            "text-in-a-count" => Fill(await TemplateFor(TestData.Users.MedwayLead, returnId), cell => cell("families_accepted").Value = "twelve"),
            "negative" => Fill(await TemplateFor(TestData.Users.MedwayLead, returnId), cell => cell("families_accepted").Value = -3),
            "not-a-spreadsheet" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3],
            "old-excel" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
            "corrupt" => [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8],
            "empty" => [],
            "too-large" => System.Text.Encoding.UTF8.GetBytes("item_key,value\n" + new string('1', (5 * 1024 * 1024) + 10)),
            "another-la" => await TemplateFor(TestData.Users.LeicesterLead, (await factory.OpenReturnAsync("856")).Id),
            "csv-unknown-key" => System.Text.Encoding.UTF8.GetBytes("item_key,value\nfamilies_ofered,12\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
    }

    private static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client, int returnId, byte[] bytes, string fileName)
    {
        var page = await client.GetStringAsync(new Uri($"/returns/{returnId}/upload", UriKind.Relative));
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(SignInExtensions.AntiforgeryToken(page)), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "File", fileName);
        return await client.PostAsync(new Uri($"/returns/{returnId}/upload", UriKind.Relative), form);
    }

    /// <summary>Types into the answer cells of a downloaded template, found by their item key in column A.</summary>
    private static byte[] Fill(byte[] template, Action<Func<string, IXLCell>> edit)
    {
        using var workbook = new XLWorkbook(new MemoryStream(template));
        edit(key => workbook.Worksheets
            .Select(s => s.Column(1).CellsUsed().FirstOrDefault(c => c.GetString() == key))
            .First(c => c is not null)!.WorksheetRow().Cell(4));
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }
}
