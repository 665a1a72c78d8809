using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Importing;

/// <summary>Uploading CSV files through the import form, the way a browser posts a file.</summary>
internal static class ImportIntents
{
    public const string Header = "id,time,type,label,in_asset,in_quantity,in_price,out_asset,out_quantity,out_price,fee_asset,fee_quantity,fee_price,currency,counterpart,description";

    /// <summary>Posts the import form with <paramref name="content"/> as the file; <paramref name="integration"/> is an account id or "new".</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this PortalClient client, Guid workspaceId, byte[] content, string integration, string fileName = "transactions.csv", string newSourceName = "CSV import")
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import");
        var token = page.QuerySelector("main form input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? (await client.GetPageAsync("/workspaces")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(integration), "IntegrationId" },
            { new StringContent(newSourceName), "NewSourceName" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", fileName);
        return await client.Http.PostAsync(new Uri($"/workspaces/{workspaceId}/portfolio/import", UriKind.Relative), form);
    }

    public static Task<HttpResponseMessage> UploadAsync(this PortalClient client, Guid workspaceId, string csv, Guid integrationId) =>
        client.UploadAsync(workspaceId, Encoding.UTF8.GetBytes(csv), integrationId.ToString());

    /// <summary>The job id of an upload's redirect to its job page.</summary>
    public static Guid JobIdOf(PortalClient client, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(response);
        client.AssertStatus(HttpStatusCode.Redirect, response);
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    public static Task<ImportJob> JobAsync(this KryptosFactory factory, Guid jobId) =>
        factory.WithDbAsync(db => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));

    /// <summary>Waits until the job is finished (the background worker runs it), up to two minutes (a loaded CI machine).</summary>
    public static async Task<ImportJob> FinishedJobAsync(this KryptosFactory factory, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var job = await factory.JobAsync(jobId);
            if (job.Status is JobStatus.Succeeded or JobStatus.Failed)
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Import job {jobId} did not finish.{Environment.NewLine}{factory.LoggedErrors}");
    }

    /// <summary>A file of <paramref name="rows"/> BTC buys, one a minute from 2024-01-01, with ids when <paramref name="withIds"/>.</summary>
    public static string Buys(int rows, bool withIds = true, decimal quantity = 0.001m)
    {
        var csv = new StringBuilder(Header).Append('\n');
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < rows; i++)
        {
            var time = start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            csv.Append(withIds ? $"r-{i}" : "").Append(',').Append(time)
                .Append(",Trade,Buy,BTC,").Append(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",40000,USD,")
                .Append((quantity * 40000).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",1,,,,USD,,\n");
        }

        return csv.ToString();
    }
}
