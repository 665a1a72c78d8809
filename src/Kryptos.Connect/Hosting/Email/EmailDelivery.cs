using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting.Email;

/// <summary>
/// The mail queue: requests put messages (or the work of composing one) in, a background worker
/// delivers them through <see cref="IEmailTransport"/>. A request never waits for a mail server, and
/// never takes longer because a mail is sent (forgot-password answers the same, in the same time,
/// whether or not the address has an account). A delivery that fails is retried with a growing delay;
/// on shutdown the queue is drained before the host stops.
/// </summary>
/// <remarks>
/// The queue lives in memory: a crash loses what was not yet delivered (a mail that can be asked for
/// again: verification, reset, invitation). A graceful shutdown does not.
/// </remarks>
public sealed partial class EmailDelivery(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    IOptions<EmailOptions> options,
    TimeProvider time,
    ILogger<EmailDelivery> logger) : IEmailSender, IHostedService, IDisposable
{
    private readonly Channel<Func<IServiceProvider, CancellationToken, Task<EmailMessage?>>> _channel =
        Channel.CreateUnbounded<Func<IServiceProvider, CancellationToken, Task<EmailMessage?>>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _idleLock = new();
    private int _pending;
    private TaskCompletionSource _idle = CompletedSource();
    private Task _worker = Task.CompletedTask;

    /// <summary>Queues a composed message.</summary>
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Enqueue((_, _) => Task.FromResult<EmailMessage?>(message));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Queues the composition of a message: <paramref name="compose"/> runs on the worker, in a scope of
    /// its own, and may decide there is nothing to send (null). Work whose duration could tell something
    /// (looking an account up) belongs here rather than in the request.
    /// </summary>
    public void Enqueue(Func<IServiceProvider, CancellationToken, Task<EmailMessage?>> compose)
    {
        ArgumentNullException.ThrowIfNull(compose);
        lock (_idleLock)
        {
            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (!_channel.Writer.TryWrite(compose))
        {
            Done();
            LogRefused(logger);
        }
    }

    /// <summary>Completes when every queued mail was delivered or given up (tests, shutdown).</summary>
    public Task WhenIdleAsync()
    {
        lock (_idleLock)
        {
            return _idle.Task;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _worker = Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking mail and delivers what is queued, until the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogNotDrained(logger, Volatile.Read(ref _pending));
            await _abort.CancelAsync();
        }
    }

    public void Dispose() => _abort.Dispose();

    private async Task RunAsync(CancellationToken abort)
    {
        await foreach (var compose in _channel.Reader.ReadAllAsync(abort))
        {
            try
            {
                await DeliverAsync(compose, abort);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogComposeFailed(logger, e);
            }
            finally
            {
                Done();
            }
        }
    }

    private async Task DeliverAsync(Func<IServiceProvider, CancellationToken, Task<EmailMessage?>> compose, CancellationToken abort)
    {
        EmailMessage? message;
        await using (var scope = scopes.CreateAsyncScope())
        {
            message = await compose(scope.ServiceProvider, abort);
        }

        if (message is null)
        {
            return;
        }

        var settings = options.Value;
        var delay = settings.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transport.DeliverAsync(message, abort);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                if (attempt >= settings.MaxDeliveryAttempts)
                {
                    LogGaveUp(logger, message.Subject, attempt, e);
                    return;
                }

                LogRetrying(logger, message.Subject, attempt, delay, e.Message);
                await Task.Delay(delay, time, abort);
                delay *= 2;
            }
        }
    }

    private void Done()
    {
        lock (_idleLock)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering email '{Subject}' failed (attempt {Attempt}); retrying in {Delay}: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string subject, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up delivering email '{Subject}' after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string subject, int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Composing a queued email failed")]
    private static partial void LogComposeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The email queue is closed; a mail was not queued")]
    private static partial void LogRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown timed out with {Count} email(s) still queued; they were not sent")]
    private static partial void LogNotDrained(ILogger logger, int count);
}
