using MailKit.Net.Smtp;
using MailKit.Security;

namespace FgcReturns.Core.Email;

public sealed class SmtpEmailSender(EmailOptions options, TimeProvider clock) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(options.SmtpHost ?? throw new InvalidOperationException("Email:SmtpHost is not set."), options.SmtpPort, SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (!string.IsNullOrEmpty(options.SmtpUserName))
        {
            await client.AuthenticateAsync(options.SmtpUserName, options.SmtpPassword ?? "", ct);
        }

        await client.SendAsync(MimeMessages.From(message, options, clock.GetUtcNow()), ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
