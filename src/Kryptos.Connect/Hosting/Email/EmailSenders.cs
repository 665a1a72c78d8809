using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kryptos.Connect.Hosting.Email;

/// <summary>A message the product sends. Bodies are built by <see cref="EmailTemplates"/>.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody);

/// <summary>
/// How the product sends mail: <see cref="SendAsync"/> hands the message to the delivery queue
/// (<see cref="EmailDelivery"/>) and returns at once; no request ever waits for a mail server.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>What actually delivers a message: SMTP in production, a pickup folder otherwise.</summary>
public interface IEmailTransport
{
    Task DeliverAsync(EmailMessage message, CancellationToken cancellationToken);
}

internal static class MimeMessages
{
    public static MimeMessage Create(EmailOptions options, EmailMessage message, TimeProvider time)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = time.GetUtcNow(),
        };
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }
}

/// <summary>
/// Writes each message as an .eml file. In Development the portal lists them at /dev/outbox so a
/// developer can follow verification and invitation links without a mail server.
/// </summary>
internal sealed partial class PickupDirectoryTransport(
    IOptions<EmailOptions> options, TimeProvider time, ILogger<PickupDirectoryTransport> logger) : IEmailTransport
{
    public async Task DeliverAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(options.Value.PickupDirectory);
        Directory.CreateDirectory(directory);
        var name = $"{time.GetUtcNow():yyyyMMddTHHmmssfffffff}-{Guid.NewGuid():N}.eml";
        var mime = MimeMessages.Create(options.Value, message, time);
        var temporary = Path.Combine(directory, name + ".tmp");
        await mime.WriteToAsync(temporary, cancellationToken);
        // Rename last so that a reader never sees a half-written message.
        File.Move(temporary, Path.Combine(directory, name));
        LogWritten(logger, message.Subject, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email '{Subject}' written to the pickup directory as {FileName}")]
    private static partial void LogWritten(ILogger logger, string subject, string fileName);
}

internal sealed partial class SmtpTransport(
    IOptions<EmailOptions> options, TimeProvider time, ILogger<SmtpTransport> logger) : IEmailTransport
{
    public async Task DeliverAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mime = MimeMessages.Create(settings, message, time);
        using var client = new SmtpClient();
        var security = settings.Smtp.Security switch
        {
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            "None" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Smtp.Username))
        {
            await client.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(logger, message.Subject);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email '{Subject}' sent through SMTP")]
    private static partial void LogSent(ILogger logger, string subject);
}
