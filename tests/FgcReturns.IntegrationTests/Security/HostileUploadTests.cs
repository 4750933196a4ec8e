using System.Net;
using System.Net.Http.Headers;
using FgcReturns.Core.Returns;
using FgcReturns.Core.Tests.Builders;
using FgcReturns.Core.Uploads;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Security;

/// <summary>Memory is measured for the whole process, so these tests run on their own, after the others.</summary>
[CollectionDefinition(nameof(MemoryMeasuredCollection), DisableParallelization = true)]
public sealed class MemoryMeasuredCollection;

/// <summary>
/// The worst uploads we could make, sent to the real host on a real Kestrel port as a browser sends them. Each must
/// be refused with its own message, change nothing, and keep the managed heap within
/// <see cref="PeakManagedBytesBound"/> of where it was (a 2.6 MB zip bomb once took it from 290 MB to 3.6 GB).
/// </summary>
[Collection(nameof(MemoryMeasuredCollection))]
public sealed class HostileUploadTests(DatabaseServerFixture database, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The stated bound: an upload, however hostile, raises the managed heap by at most this.</summary>
    public const long PeakManagedBytesBound = 64L * 1024 * 1024;

    private FgcWebFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        factory = new FgcWebFactory(await database.Server.CreateDatabaseAsync());
        factory.StartKestrel();
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    public static TheoryData<string, string, string> HostileUploads() => new()
    {
        { "zip-bomb", "medway.xlsx", WorkbookInspector.ZipBombMessage },
        { "zip-bomb-lying-about-its-size", "medway.xlsx", ReturnUploadReader.DamagedMessage },
        { "one-byte-over-5-mb", "medway.csv", ReturnUploadReader.TooLargeMessage },
        { "60-mb-over-5-mb", "medway.csv", ReturnUploadReader.TooLargeMessage },
        { "deeply-nested-xml", "medway.xlsx", WorkbookInspector.DeeplyNestedMessage },
        { "million-empty-rows", "medway.xlsx", "The sheet 'Your FGC service' has more than 20,000 rows" },
        { "csv-of-200000-bad-lines", "medway.csv", "The file has 200,000 problems. The first 100 are listed here." },
    };

    [Theory]
    [MemberData(nameof(HostileUploads))]
    public async Task Upload_HostileFile_SpecificMessageBoundedMemoryAndReturnUnchanged(string scenario, string fileName, string expected)
    {
        // Arrange: something is already saved, which the upload must not touch.
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        await factory.WithServiceAsync<ReturnService, SaveOutcome>(s => s.SaveAsync(lead, ret.Id, [new ValueChange("families_offered", StoredAnswer.Unanswered, StoredAnswer.Of("37"))], ChangeSource.Form));
        var client = await KestrelClient().SignedInAsync(TestData.Users.MedwayLead);
        var template = await client.GetByteArrayAsync(new Uri($"/returns/{ret.Id}/template.xlsx", UriKind.Relative), TestContext.Current.CancellationToken);
        var file = HostileFile(scenario, template);
        var sent = file.Headers.ContentLength;
        var uploadPage = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/upload", UriKind.Relative), TestContext.Current.CancellationToken);

        // Act
        string page;
        HttpStatusCode status;
        long peak;
        using (var memory = PeakManagedMemory.Start())
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("upload"), "_handler" },
                { new StringContent(SignInExtensions.AntiforgeryToken(uploadPage)), "__RequestVerificationToken" },
                { file, "File", fileName },
            };
            var response = await client.PostAsync(new Uri($"/returns/{ret.Id}/upload", UriKind.Relative), form, TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.SeeOther)
            {
                response = await client.GetAsync(response.Headers.Location, TestContext.Current.CancellationToken);
            }

            status = response.StatusCode;
            page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            peak = memory.Stop();
        }

        output.WriteLine($"{scenario}: {sent:N0} bytes sent, peak managed heap {peak / 1024.0 / 1024.0:N1} MB above the baseline");

        // Assert
        status.ShouldBe(HttpStatusCode.OK);
        page.ShouldContain("There is a problem with the file");
        page.ShouldContain(expected);
        page.ShouldNotContain("antiforgery");
        peak.ShouldBeLessThan(PeakManagedBytesBound);
        var after = await factory.OpenReturnAsync(TestData.Medway);
        after.Values.ShouldBe(new Dictionary<string, string?> { ["families_offered"] = "37" });
        after.RowVersion.ShouldBe((await factory.OpenReturnAsync(TestData.Medway)).RowVersion);
        (await factory.WithDbAsync(db => db.PendingUploads.CountAsync())).ShouldBe(0);
    }

    [Fact]
    public async Task Upload_CsvOf200000BadLines_ShowsTheFirst100AndDownloadsEveryProblem()
    {
        // Arrange
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var client = await KestrelClient().SignedInAsync(TestData.Users.MedwayLead);
        var uploadPage = await client.GetStringAsync(new Uri($"/returns/{ret.Id}/upload", UriKind.Relative), TestContext.Current.CancellationToken);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("upload"), "_handler" },
            { new StringContent(SignInExtensions.AntiforgeryToken(uploadPage)), "__RequestVerificationToken" },
            { new ByteArrayContent(HostileFiles.CsvOfBadLines(200_000)), "File", "medway.csv" },
        };
        var response = await client.PostAsync(new Uri($"/returns/{ret.Id}/upload", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/returns/[0-9]+/upload/problems/[0-9a-f-]+\\.csv)\"").Groups[1].Value;

        // Act
        HttpResponseMessage download;
        string[] lines;
        long peak;
        using (var memory = PeakManagedMemory.Start())
        {
            download = await client.GetAsync(new Uri(link, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            var stream = await download.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            using var reader = new StreamReader(stream);
            var count = 0;
            string? first = null, second = null, last = null;
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                count++;
                first ??= line;
                second ??= count == 2 ? line : null;
                last = line;
            }

            peak = memory.Stop();
            lines = [first!, second!, last!, count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        output.WriteLine($"problem list download: peak managed heap {peak / 1024.0 / 1024.0:N1} MB above the baseline; page {page.Length:N0} characters");

        // Assert: the page is small, the list complete.
        page.Length.ShouldBeLessThan(200_000);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        download.Headers.CacheControl!.NoStore.ShouldBeTrue();
        lines[0].ShouldBe("location,item_key,problem"); // after the byte order mark Excel needs to read UTF-8
        lines[1].ShouldBe("\"Line 2\",\"\",\"'no_such_item_0' is not a question in this survey. Use the item keys from the template.\"");
        lines[2].ShouldStartWith("\"Line 200001\",");
        lines[3].ShouldBe("200001");
        peak.ShouldBeLessThan(PeakManagedBytesBound);
    }

    [Fact]
    public async Task ProblemList_AnotherUser_IsNotFound()
    {
        // Arrange: Medway's lead uploads a bad file; an analyst (who can see the return) asks for its problems.
        var ret = await factory.OpenReturnAsync(TestData.Medway);
        var lead = await factory.PrincipalAsync(TestData.Users.MedwayLead);
        var check = await factory.WithServiceAsync<ReturnUploadService, UploadCheck>(s =>
            s.CheckAsync(lead, ret.Id, new MemoryStream(HostileFiles.CsvOfBadLines(3)), "medway.csv", 100));
        var analyst = await KestrelClient().SignedInAsync(TestData.Users.Analyst);

        // Act
        var response = await analyst.GetAsync(new Uri($"/returns/{ret.Id}/upload/problems/{check.ProblemListId}.csv", UriKind.Relative), TestContext.Current.CancellationToken);

        // Assert
        check.ProblemListId.ShouldNotBeNull();
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>A client of the real Kestrel port (not the in-memory test server), keeping cookies, not following redirects.</summary>
    private HttpClient KestrelClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }, disposeHandler: true)
        {
            BaseAddress = factory.ServerAddress,
            Timeout = TimeSpan.FromMinutes(3),
        };

    private static HttpContent HostileFile(string scenario, byte[] template)
    {
        const long FiveMb = ReturnUploadReader.MaxBytes;
        HttpContent content = scenario switch
        {
            "zip-bomb" => new ByteArrayContent(HostileFiles.ZipBomb(template, 400L * 1024 * 1024)),
            "zip-bomb-lying-about-its-size" => new ByteArrayContent(HostileFiles.LyingZipBomb(template, 100L * 1024 * 1024)),
            "one-byte-over-5-mb" => new StreamContent(new RepeatingStream(FiveMb + 1)),
            "60-mb-over-5-mb" => new StreamContent(new RepeatingStream(FiveMb + (60L * 1024 * 1024))),
            "deeply-nested-xml" => new ByteArrayContent(HostileFiles.DeeplyNested(template, 10_000)),
            "million-empty-rows" => new ByteArrayContent(HostileFiles.EmptyRows(template, 1_000_000)),
            "csv-of-200000-bad-lines" => new ByteArrayContent(HostileFiles.CsvOfBadLines(200_000)),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>A seekable stream of the same text over and over: a huge body without holding it in the test's memory.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private static readonly byte[] Line = "item_key,value,1111111111111111111111111111111111111111\n"u8.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = Line[(int)((Position + i) % Line.Length)];
            }

            Position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// The highest managed heap size seen while it runs, above the heap after a full collection at the start; sampled every
/// millisecond on its own thread, and collected before it is counted whenever it passes half the bound.
/// </summary>
internal sealed class PeakManagedMemory : IDisposable
{
    private readonly long baseline;
    private readonly Thread sampler;
    private long peak;
    private volatile bool stopped;

    private PeakManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        baseline = GC.GetTotalMemory(forceFullCollection: true);
        peak = baseline;
        sampler = new Thread(Sample) { IsBackground = true, Priority = ThreadPriority.Highest };
        sampler.Start();
    }

    public static PeakManagedMemory Start() => new();

    private void Sample()
    {
        while (!stopped)
        {
            peak = Math.Max(peak, Measure());
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// The heap now; when it looks high, the heap after a full collection, so that garbage a roomy gen0 budget has
    /// not yet collected (its size depends on the machine's cache) is not counted as memory the upload holds.
    /// </summary>
    private long Measure()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        return now - baseline < HostileUploadTests.PeakManagedBytesBound / 2 ? now : GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The peak above the baseline, in bytes.</summary>
    public long Stop()
    {
        stopped = true;
        sampler.Join();
        peak = Math.Max(peak, Measure());
        return peak - baseline;
    }

    public void Dispose()
    {
        if (!stopped)
        {
            Stop();
        }
    }
}
