using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>
/// One host, one app granted every scope by a user whose workspace holds <see cref="HandCheckedBooks"/>,
/// and a second user's app with an empty workspace (the other tenant).
/// </summary>
public sealed class BooksFixture : IAsyncLifetime
{
    public KryptosFactory Factory { get; } = new();
    public ConnectedApp App { get; private set; } = null!;
    public ConnectedApp OtherTenant { get; private set; } = null!;
    public HandCheckedBooks Books { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await Factory.ConnectAppAsync(userName: "Ada Lovelace");
        OtherTenant = await Factory.ConnectAppAsync(userName: "Mallory Other");
        using var http = Factory.Backchannel();
        Books = await HandCheckedBooks.WriteAsync(Factory, await http.GrantedWorkspaceAsync(App.AccessToken));
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
