using FgcReturns.Core.Email;

namespace FgcReturns.Core.Tests.Email;

public class EmailOptionsTests
{
    [Theory]
    [InlineData("http://[::]:5123", "http://localhost:5123")]
    [InlineData("http://0.0.0.0:8080/", "http://localhost:8080")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("https://portal.example:7443", "https://portal.example:7443")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234")]
    public void BrowserAddress_ListeningAddress_IsWhereABrowserReachesIt(string listening, string expected)
    {
        EmailOptions.BrowserAddress(listening).ShouldBe(expected);
    }

    [Fact]
    public void LinkBase_Configured_HasNoTrailingSlash()
    {
        new EmailOptions { PortalBaseUrl = "https://fgc.example/" }.LinkBase.ShouldBe("https://fgc.example");
    }

    [Fact]
    public void LinkBase_NotConfiguredAndNotYetListening_IsNotAFixedDevelopmentPort()
    {
        new EmailOptions().LinkBase.ShouldNotContain("5080");
    }
}
