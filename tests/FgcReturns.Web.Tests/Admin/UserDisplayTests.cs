using FgcReturns.Web.Components.Pages.Admin.Users;

namespace FgcReturns.Web.Tests.Admin;

public sealed class UserDisplayTests
{
    [Theory]
    [InlineData("2027-07-16T23:30:00+00:00", "17 July 2027")]
    [InlineData("2027-07-16T22:59:00+00:00", "16 July 2027")]
    [InlineData("2026-12-18T23:30:00+00:00", "18 December 2026")]
    public void Date_InstantStoredInUtc_IsTheUkDate(string stored, string expected)
    {
        // Act
        var shown = UserDisplay.Date(DateTimeOffset.Parse(stored, System.Globalization.CultureInfo.InvariantCulture));

        // Assert
        shown.ShouldBe(expected);
    }
}
