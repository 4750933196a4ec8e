using FgcReturns.Core;

namespace FgcReturns.Core.Tests.Time;

public sealed class UkTimeTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        // The server's own zone must not matter: pretend it is somewhere far from London.
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    }

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min, int s = 0) => new(y, m, d, h, min, s, TimeSpan.Zero);

    [Theory]
    // Summer (BST, UTC+1): 23:30 UTC is already the next UK day.
    [InlineData("2027-06-30T23:30:00Z", "2027-07-01")]
    [InlineData("2027-06-30T22:59:59Z", "2027-06-30")]
    // Winter (GMT): UTC and UK dates agree.
    [InlineData("2026-12-18T23:30:00Z", "2026-12-18")]
    // Spring change, Sunday 28 March 2027: 01:00 UTC jumps to 02:00 BST.
    [InlineData("2027-03-27T23:30:00Z", "2027-03-27")]
    [InlineData("2027-03-28T23:30:00Z", "2027-03-29")]
    // Autumn change, Sunday 31 October 2027: 01:00 UTC falls back to 01:00 GMT.
    [InlineData("2027-10-30T23:30:00Z", "2027-10-31")]
    [InlineData("2027-10-31T23:30:00Z", "2027-10-31")]
    public void Today_AnyServerZone_IsTheUkDate(string utc, string expected)
    {
        // Arrange
        var clock = new FixedClock(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        // Act
        var today = UkTime.Today(clock);

        // Assert
        today.ShouldBe(DateOnly.ParseExact(expected, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DeadlineEnds_WinterAndSummer_Is235959UkTime()
    {
        // Act + Assert: GMT in December, BST in July, and both clock-change days.
        UkTime.DeadlineEnds(new DateOnly(2026, 12, 18)).ShouldBe(Utc(2026, 12, 18, 23, 59, 59));
        UkTime.DeadlineEnds(new DateOnly(2027, 7, 16)).ShouldBe(Utc(2027, 7, 16, 22, 59, 59));
        UkTime.DeadlineEnds(new DateOnly(2027, 3, 28)).ShouldBe(Utc(2027, 3, 28, 22, 59, 59));
        UkTime.DeadlineEnds(new DateOnly(2027, 10, 31)).ShouldBe(Utc(2027, 10, 31, 23, 59, 59));
    }

    [Fact]
    public void At_EightOClockAcrossTheClockChanges_IsEightUkTime()
    {
        // Act + Assert
        UkTime.At(new DateOnly(2027, 3, 27), new TimeOnly(8, 0)).ShouldBe(Utc(2027, 3, 27, 8, 0));
        UkTime.At(new DateOnly(2027, 3, 28), new TimeOnly(8, 0)).ShouldBe(Utc(2027, 3, 28, 7, 0));
        UkTime.At(new DateOnly(2027, 10, 30), new TimeOnly(8, 0)).ShouldBe(Utc(2027, 10, 30, 7, 0));
        UkTime.At(new DateOnly(2027, 10, 31), new TimeOnly(8, 0)).ShouldBe(Utc(2027, 10, 31, 8, 0));

        // 01:30 does not exist on the spring change day: read as GMT rather than failing.
        UkTime.At(new DateOnly(2027, 3, 28), new TimeOnly(1, 30)).ShouldBe(Utc(2027, 3, 28, 1, 30));
    }

    [Theory]
    [InlineData("2027-07-15T22:30:00Z", "(1 day left)")]
    [InlineData("2027-07-15T23:30:00Z", "(today)")]
    [InlineData("2027-07-16T22:59:59Z", "(today)")]
    [InlineData("2027-07-16T23:00:00Z", "(closed)")]
    [InlineData("2027-07-06T12:00:00Z", "(10 days left)")]
    public void DaysLeftText_SummerDeadline_CountsUkDays(string utc, string expected)
    {
        // Arrange: the deadline is Friday 16 July 2027, in BST.
        var clock = new FixedClock(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        // Act + Assert
        UkTime.DaysLeftText(new DateOnly(2027, 7, 16), clock).ShouldBe(expected);
    }

    [Fact]
    public void DaysOverdue_AfterASummerDeadline_CountsWholeUkDays()
    {
        // Arrange
        var deadline = new DateOnly(2027, 7, 16);

        // Act + Assert
        UkTime.DaysOverdue(deadline, new FixedClock(Utc(2027, 7, 16, 22, 59, 59))).ShouldBe(0);
        UkTime.DaysOverdue(deadline, new FixedClock(Utc(2027, 7, 16, 23, 0))).ShouldBe(1);
        UkTime.DaysOverdue(deadline, new FixedClock(Utc(2027, 7, 19, 9, 0))).ShouldBe(3);
    }

    [Fact]
    public void DateAndTime_SummerAndWinter_ShowsUkClockTime()
    {
        // Act + Assert
        UkTime.DateAndTime(Utc(2027, 7, 16, 13, 30)).ShouldBe("16 July 2027 at 2:30pm");
        UkTime.DateAndTime(Utc(2026, 12, 18, 13, 30)).ShouldBe("18 December 2026 at 1:30pm");
    }
}
