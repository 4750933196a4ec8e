using MimeKit;

namespace FgcReturns.Core.Email;

internal static class MimeMessages
{
    public static MimeMessage From(EmailMessage message, EmailOptions options, DateTimeOffset at)
    {
        var mime = new MimeMessage { Subject = message.Subject, Date = at };
        mime.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new TextPart("plain") { Text = message.Body };
        return mime;
    }
}
