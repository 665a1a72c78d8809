using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Hosting.Email;

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

    /// <summary>How many times the queue tries to deliver a message before it gives up (and logs an error).</summary>
    [Range(1, 20)]
    public int MaxDeliveryAttempts { get; set; } = 6;

    /// <summary>The wait after the first failed delivery; it doubles after each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

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
