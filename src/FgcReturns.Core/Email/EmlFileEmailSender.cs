using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Email;

/// <summary>Writes each email as an .eml file, so Development and tests can read what would have been sent.</summary>
public sealed class EmlFileEmailSender(EmailOptions options, TimeProvider clock, ILogger<EmlFileEmailSender> logger) : IEmailSender
{
    public string Directory => options.PickupDirectory ?? throw new InvalidOperationException("Email:PickupDirectory is not set.");

    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var now = clock.GetUtcNow();
        var name = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}.eml");
        var path = Path.Combine(Directory, name);
        await MimeMessages.From(message, options, now).WriteToAsync(path, ct);
        logger.LogInformation("Email to {To} written to {Path}", message.To, path);
    }
}
