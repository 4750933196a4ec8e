namespace FgcReturns.Web.Security;

/// <summary>Sign-in and forgot-password posts allowed a minute (setting section SignInRateLimits).</summary>
public sealed class SignInRateLimits
{
    /// <summary>From one client address: the real client's, from the forwarded headers of a known proxy.</summary>
    public int PerClient { get; set; } = 30;

    /// <summary>For one email address, from any number of clients.</summary>
    public int PerAccount { get; set; } = 10;
}
