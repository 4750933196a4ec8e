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

    public static string Date(DateTimeOffset d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
