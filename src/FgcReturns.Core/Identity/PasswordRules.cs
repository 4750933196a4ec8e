namespace FgcReturns.Core.Identity;

/// <summary>The one password rule, in the words the set-password page shows before anyone gets it wrong.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    public const string Hint =
        "Use at least 12 characters. Letters, numbers, spaces and symbols are all allowed: three random words you will remember make a strong password.";

    public const string TooShortMessage = "Password must be 12 characters or more";
}
