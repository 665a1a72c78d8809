using Kryptos.Connect.Usage;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>Waiting for metered requests to reach the database (the writer flushes every 50 ms in tests).</summary>
public static class UsageIntents
{
    /// <summary>Polls until <paramref name="expected"/> records of <paramref name="clientId"/> are stored, and returns them.</summary>
    public static async Task<List<UsageRecord>> MeteredAsync(this KryptosFactory factory, string clientId, int expected)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await ApiIntents.WithinAsync(TimeSpan.FromSeconds(10),
            async () => await factory.WithDbAsync(db => db.UsageRecords.CountAsync(r => r.ClientId == clientId)) >= expected,
            $"{expected} usage records of {clientId}");
        return await factory.WithDbAsync(db => db.UsageRecords.Where(r => r.ClientId == clientId).ToListAsync());
    }
}
