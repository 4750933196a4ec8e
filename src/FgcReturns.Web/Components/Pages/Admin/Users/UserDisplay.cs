using System.Globalization;
using FgcReturns.Core.Identity;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Components.Pages.Admin.Users;

/// <summary>How users' roles and states read on the users and team pages.</summary>
public static class UserDisplay
{
    public static string Role(string? role) => role switch
    {
        Roles.LaDataLead => "LA data lead",
        Roles.Analyst => "Analyst",
        Roles.Administrator => "Administrator",
        null => "No role",
        _ => role,
    };

    public static (string Text, GovTagColour Colour) State(UserSummary u, DateTimeOffset now) => u switch
    {
        { IsActive: false } => ("Deactivated", GovTagColour.Grey),
        { PasswordSet: true } => ("Active", GovTagColour.Green),
        { InvitationExpiresAt: { } expires } when expires > now => ("Invited", GovTagColour.Blue),
        _ => ("Invitation expired", GovTagColour.Orange),
    };

    /// <summary>The UK date of an instant: a user invited at 23:30 UTC in summer was invited the next day.</summary>
    public static string Date(DateTimeOffset d) => Core.UkTime.Date(DateOnly.FromDateTime(Core.UkTime.ToUk(d).DateTime));
}
