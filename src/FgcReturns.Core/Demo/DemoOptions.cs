namespace FgcReturns.Core.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";
    public const string DefaultPassword = "Demo-Passw0rd!";

    /// <summary>Seed demo accounts and collections. On by default in Development only; never in production.</summary>
    public bool Seed { get; set; }

    public string Password { get; set; } = DefaultPassword;
}

public sealed record DemoAccount(string Email, string DisplayName, string Role, string? LaCode);
