using System.ComponentModel.DataAnnotations;

namespace FgcReturns.Core.Email;

/// <summary>Sends email: SMTP when configured, otherwise .eml files (Development). A seam at the outside boundary.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct = default);
}

/// <summary>A plain-text email in GOV.UK Notify style: plain English, no images.</summary>
public sealed record EmailMessage(string To, string Subject, string Body);

public sealed class EmailOptions
{
    public const string Section = "Email";

    [Required(ErrorMessage = "Email:FromAddress must be set."), EmailAddress(ErrorMessage = "Email:FromAddress must be an email address, such as fgc-returns@foundations.org.uk.")]
    public string FromAddress { get; set; } = "fgc-returns@foundations.org.uk";

    [Required(ErrorMessage = "Email:FromName must be set.")]
    public string FromName { get; set; } = "FGC Returns";

    /// <summary>SMTP host; when empty, emails are written as .eml files to <see cref="PickupDirectory"/>.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535, ErrorMessage = "Email:SmtpPort must be a port number from 1 to 65535.")]
    public int SmtpPort { get; set; } = 587;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Where .eml files go when no SMTP host is set (git-ignored .data/emails by default).</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>
    /// The portal's public address, for links in emails. Empty: the address the portal itself listens on, filled in
    /// when it starts (so a portal run with --urls links to where it really is); set it in production.
    /// </summary>
    public string PortalBaseUrl { get; set; } = "";

    /// <summary>The start of every link in an email, without a trailing slash.</summary>
    public string LinkBase => string.IsNullOrWhiteSpace(PortalBaseUrl) ? "http://localhost" : PortalBaseUrl.TrimEnd('/');

    /// <summary>A server listening address (http://[::]:5123, http://0.0.0.0:80) as a browser would reach it.</summary>
    public static string BrowserAddress(string listening)
    {
        ArgumentNullException.ThrowIfNull(listening);
        var address = listening.TrimEnd('/');
        foreach (var any in new[] { "://[::]", "://0.0.0.0", "://*", "://+" })
        {
            address = address.Replace(any, "://localhost", StringComparison.Ordinal);
        }

        return address;
    }
}
