using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Accounts.Email;

/// <summary>Settings of the <c>Email</c> section (see docs/configuration.md).</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    [Required]
    public string From { get; set; } = "Kryptos Connect <no-reply@kryptos.localhost>";

    /// <summary>Where messages are written as .eml files when no SMTP host is configured.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "data/outbox";

    public SmtpOptions Smtp { get; set; } = new();

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c>, or <c>None</c> for a local relay.</summary>
    public string Security { get; set; } = "StartTls";
}
