using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.ConnectApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.Benchmarks;

/// <summary>
/// Importing a 10,000-row transaction CSV and recomputing holdings and tax, on the real host's
/// services and a real SQLite file. <c>Import_EndToEnd</c> (the baseline) is what the background
/// worker does plus the first read afterwards: claim the job, check every row, save, then compute
/// the portfolio (holdings, disposals, income, ledger, tax years). The steps are measured on their
/// own beside it, so the report gives the time per step: <c>Step1_CheckRows</c> (decode and check
/// every row, no database), <c>Step2_Save</c> (the multi-row inserts, the job's status and the audit
/// entry in one transaction), <c>Step3_Recompute</c> (the engine over the 10,000 transactions). The
/// old way of saving, EF Core's change tracker, runs in the same run for comparison. Target: the
/// end-to-end import under 5 s.
/// </summary>
[Config(typeof(ImportConfig))]
[MemoryDiagnoser]
public class ImportBenchmarks : IDisposable
{
    public const int Rows = 10_000;

    private static readonly string[] Header = ["id", "time", "type", "label", "in_asset", "in_quantity", "in_price", "out_asset", "out_quantity", "out_price", "fee_asset", "fee_quantity", "fee_price", "counterpart"];

    private UsersMeBenchmarks.BenchFactory _factory = null!;
    private IPortfolioViews _views = null!;
    private Guid _workspaceId;
    private Guid _kraken;
    private Guid _coinbase;
    private byte[] _file = null!;
    private CsvContext _context = null!;
    private CsvReadResult _checked = null!;
    private ImportJob _job = null!;

    [GlobalSetup]
    public void Setup()
    {
        _factory = new UsersMeBenchmarks.BenchFactory();
        var app = _factory.ConnectAppAsync(ApiIntents.AllScopes).GetAwaiter().GetResult();
        _views = _factory.Services.GetRequiredService<IPortfolioViews>();
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        _workspaceId = db.Workspaces.Where(w => w.Members.Any(m => m.User.Email == app.User.Email)).Select(w => w.Id).First();
        var now = DateTimeOffset.UtcNow;
        var kraken = new Integration { WorkspaceId = _workspaceId, Kind = IntegrationKind.Exchange, ProviderId = "kraken", Name = "Kraken", CreatedAt = now, UpdatedAt = now };
        var coinbase = new Integration { WorkspaceId = _workspaceId, Kind = IntegrationKind.Exchange, ProviderId = "coinbase", Name = "Coinbase", CreatedAt = now, UpdatedAt = now };
        db.Integrations.AddRange(kraken, coinbase);
        db.SaveChanges();
        (_kraken, _coinbase) = (kraken.Id, coinbase.Id);

        _file = Encoding.UTF8.GetBytes(TenThousandRows());
        Console.WriteLine($"// The 10,000-row file: {_file.Length:N0} bytes.");
        var limit = new ImportOptions().MaxFileBytes;
        if (_file.Length > limit)
        {
            throw new InvalidOperationException($"The file is {_file.Length:N0} bytes, over the upload limit of {limit:N0}: not a file a user could import.");
        }

        _context = new CsvContext(_kraken, "USD", new Dictionary<Guid, string> { [_kraken] = "Kraken", [_coinbase] = "Coinbase" }, now);
        _checked = Check();
        if (_checked.Errors.Count > 0 || _checked.Rows.Count != Rows)
        {
            throw new InvalidOperationException($"The generated file does not check: {string.Join("; ", _checked.Errors.Take(5))}");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _factory?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [IterationSetup(Targets = [nameof(Import_EndToEnd)])]
    public void QueueJob() => _job = NewJob(JobStatus.Queued);

    [IterationSetup(Targets = [nameof(Step2_Save), nameof(Step2_Save_ChangeTracker_OldWay)])]
    public void RunningJob() => _job = NewJob(JobStatus.Running);

    [IterationSetup(Target = nameof(Step3_Recompute))]
    public void TenThousandTransactionsStored()
    {
        if (Count() != Rows)
        {
            _job = NewJob(JobStatus.Running);
            Step2_Save().GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Import_EndToEnd()
    {
        using (var scope = _factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunAsync(_job.Id);
        }

        var snapshot = await _views.GetAsync(_workspaceId);
        return Expect(snapshot.Ledger.Count);
    }

    [Benchmark]
    public int Step1_CheckRows() => Check().Rows.Count;

    [Benchmark]
    public async Task<int> Step2_Save()
    {
        using var scope = _factory.Services.CreateScope();
        return Expect(await scope.ServiceProvider.GetRequiredService<ImportProcessor>().SaveAsync(_job, _checked, "USD", CancellationToken.None));
    }

    [Benchmark]
    public async Task<int> Step3_Recompute()
    {
        _views.Invalidate(_workspaceId);
        var snapshot = await _views.GetAsync(_workspaceId);
        return Expect(snapshot.Ledger.Count);
    }

    /// <summary>What the import did before bulk inserts: every entity added to the change tracker, one <c>SaveChanges</c>.</summary>
    [Benchmark]
    public async Task<int> Step2_Save_ChangeTracker_OldWay()
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var row in _checked.Rows)
        {
            var entity = new PortfolioTransaction
            {
                WorkspaceId = _workspaceId,
                IntegrationId = _kraken,
                CounterpartIntegrationId = row.Draft.CounterpartIntegrationId,
                Type = row.Draft.Type,
                Label = row.Draft.Label,
                OccurredAt = row.Draft.OccurredAt,
                Description = row.Draft.Description,
                ExternalId = row.ExternalId,
                Origin = TransactionOrigin.Csv,
                ImportJobId = _job.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            entity.Lines.AddRange(row.Draft.Lines.Select(l => new TransactionLine
            {
                TransactionId = entity.Id,
                Direction = l.Direction,
                Asset = l.Asset,
                Quantity = l.Quantity,
                UnitPrice = l.UnitPrice,
                Currency = "USD",
            }));
            db.Transactions.Add(entity);
        }

        db.ChangeTracker.DetectChanges();
        var written = await db.SaveChangesAsync();
        await transaction.CommitAsync();
        _views.Invalidate(_workspaceId);
        return written;
    }

    private CsvReadResult Check()
    {
        if (TransactionCsv.Decode(_file, out var text) is { } error)
        {
            throw new InvalidOperationException(error);
        }

        return TransactionCsv.Read(text, _context);
    }

    private int Expect(int count) => count >= Rows ? count : throw new InvalidOperationException($"Expected {Rows:N0}, got {count:N0}.");

    /// <summary>Empties the account of the previous iteration's import and adds a new job for this one.</summary>
    private ImportJob NewJob(JobStatus status)
    {
        using var scope = _factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        db.Transactions.Where(t => t.WorkspaceId == _workspaceId).ExecuteDelete();
        db.ImportJobs.Where(j => j.WorkspaceId == _workspaceId).ExecuteDelete();
        var job = new ImportJob
        {
            WorkspaceId = _workspaceId,
            IntegrationId = _kraken,
            FileName = "ten-thousand.csv",
            Content = status == JobStatus.Queued ? _file : null,
            TotalRows = Rows,
            Status = status,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ImportJobs.Add(job);
        db.SaveChanges();
        _views.Invalidate(_workspaceId);
        return job;
    }

    private int Count()
    {
        using var scope = _factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<KryptosDbContext>().Transactions.Count(t => t.WorkspaceId == _workspaceId);
    }

    /// <summary>
    /// 10,000 rows over two years, one every 100 minutes from 2024-01-01: buys of BTC, ETH and SOL for
    /// USD with fees, sells, swaps, staking income and transfers to the second account with a network
    /// fee, at prices that wander deterministically.
    /// </summary>
    internal static string TenThousandRows()
    {
        var random = new Random(10_000);
        var prices = new Dictionary<string, decimal> { ["BTC"] = 42_000m, ["ETH"] = 2_300m, ["SOL"] = 100m };
        string[] assets = ["BTC", "ETH", "SOL"];
        var csv = new StringBuilder(string.Join(',', Header)).Append('\n');
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Rows; i++)
        {
            foreach (var asset in assets)
            {
                prices[asset] = Math.Round(prices[asset] * (1m + ((decimal)random.NextDouble() - 0.499m) / 50m), 2);
            }

            var a = assets[i % 3];
            var price = prices[a];
            var quantity = Math.Round(200m / price * (decimal)(0.5 + random.NextDouble()), 8);
            var value = Math.Round(quantity * price, 2);
            var time = start.AddMinutes(i * 100).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
            var fields = (i % 10) switch
            {
                <= 4 => $"Trade,Buy,{a},{N(quantity)},{N(price)},USD,{N(value)},1,USD,{N(Math.Round(value / 200m, 2))},1,",
                5 or 6 => $"Trade,Sell,USD,{N(Math.Round(value / 2m, 2))},1,{a},{N(Math.Round(quantity / 2m, 8))},{N(price)},USD,0.5,1,",
                7 => $"Income,StakingRewards,{a},{N(Math.Round(quantity / 20m, 8))},{N(price)},,,,,,,",
                8 => $"Transfer,Transfer,,,,{a},{N(Math.Round(quantity / 4m, 8))},,{a},{N(Math.Round(quantity / 400m, 8))},{N(price)},Coinbase",
                _ => $"Trade,Swap,{assets[(i + 1) % 3]},{N(Math.Round(value / 4m / prices[assets[(i + 1) % 3]], 8))},{N(prices[assets[(i + 1) % 3]])},{a},{N(Math.Round(quantity / 4m, 8))},{N(price)},,,,",
            };
            csv.Append('t').Append(i.ToString(CultureInfo.InvariantCulture)).Append(',').Append(time).Append(',').Append(fields).Append('\n');
        }

        return csv.ToString();
    }

    private static string N(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private sealed class ImportConfig : ManualConfig
    {
        public ImportConfig() => AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
