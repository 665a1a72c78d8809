using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>Keeps every formatted log message (and exception) the host writes, to prove secrets never reach a log.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _messages);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
