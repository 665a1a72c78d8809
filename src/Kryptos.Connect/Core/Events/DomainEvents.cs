namespace Kryptos.Connect.Core.Events;

/// <summary>Reacts to one kind of event. A feature registers its handlers in its own <c>Add…()</c>.</summary>
public interface IHandles<in TEvent>
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Raises an event once, where it happens, and lets every feature that cares handle it, so that the
/// feature that raises it needs to know none of them: Accounts raises "signed out everywhere", and
/// Accounts ends the sessions while Authorization revokes the grants. Handlers run in the request's
/// scope (same database context), one after the other, in registration order.
/// </summary>
public sealed class DomainEvents(IServiceProvider services)
{
    public async Task RaiseAsync<TEvent>(TEvent domainEvent, CancellationToken cancellationToken = default)
        where TEvent : notnull
    {
        foreach (var handler in services.GetServices<IHandles<TEvent>>())
        {
            await handler.HandleAsync(domainEvent, cancellationToken);
        }
    }
}
