using System.Text.RegularExpressions;
using MimeKit;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// Reads the .eml files the host wrote to its pickup folder. Mail is delivered by a background queue,
/// so every read first waits until the queue has delivered what the requests so far queued.
/// </summary>
public sealed partial class Mailbox(string directory, Func<Task>? delivered = null)
{
    public IReadOnlyList<MimeMessage> To(string address)
    {
        delivered?.Invoke().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.GetFiles(directory, "*.eml")
            .Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];
    }

    public MimeMessage LastTo(string address)
    {
        var messages = To(address);
        return messages.Count > 0 ? messages[^1] : throw new InvalidOperationException($"No mail was sent to {address}.");
    }

    /// <summary>The newest link to <paramref name="path"/> in the newest mail to <paramref name="address"/>, made relative.</summary>
    public string LinkTo(string address, string path)
    {
        foreach (var message in To(address).Reverse())
        {
            var match = Link().Matches(message.TextBody ?? "").FirstOrDefault(m => new Uri(m.Value).AbsolutePath.StartsWith(path, StringComparison.Ordinal));
            if (match is not null)
            {
                return new Uri(match.Value).PathAndQuery;
            }
        }

        throw new InvalidOperationException($"No mail to {address} holds a link to {path}.");
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
