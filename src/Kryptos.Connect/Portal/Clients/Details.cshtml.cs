using Kryptos.Connect.Authorization;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Usage;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Portal.Clients;

public sealed class DetailsModel(ClientService clients, UserManager<User> users, WorkspaceUsage usage, TimeProvider time) : WorkspacePageModel
{
    public const string NewSecretKey = "Clients.NewSecret";
    public const string JustCreatedKey = "Clients.JustCreated";

    public OAuthClient Client { get; private set; } = null!;

    [BindProperty]
    public ClientForm Form { get; set; } = new();

    [BindProperty]
    public string? DeleteConfirmation { get; set; }

    /// <summary>A secret issued by the previous request, shown on this page once.</summary>
    public string? NewSecret { get; private set; }

    public bool JustCreated { get; private set; }

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public bool IsConfidential => Client.ClientType == ClientTypes.Confidential;

    public IEnumerable<ClientSecret> Secrets => Client.Secrets
        .Where(s => s.IsActive(Now) || s.CreatedAt > Now.AddDays(-30))
        .OrderByDescending(s => s.CreatedAt);

    public int ActiveSecretCount => Client.Secrets.Count(s => s.IsActive(Now));

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await base.OnPageHandlerExecutionAsync(context, async () =>
        {
            // Another workspace's client is a 404, like a client that does not exist.
            var client = await clients.FindAsync(Workspace.Id, RouteData.Values["clientId"]?.ToString() ?? "", HttpContext.RequestAborted);
            if (client is null)
            {
                context.Result = NotFound();
                return null!;
            }

            Client = client;
            return await next();
        });
    }

    /// <summary>This client's calls in the last 7 days (on the page's GET only).</summary>
    public WorkspaceUsageData? Usage { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Usage = await usage.ReadAsync(Workspace.Id, UsageRange.Week, Client.ClientId, cancellationToken: HttpContext.RequestAborted);
        NewSecret = TempData[NewSecretKey] as string;
        JustCreated = TempData[JustCreatedKey] is true;
        if (NewSecret is not null)
        {
            // Never keep the page that shows a secret in any cache.
            Response.Headers.CacheControl = "no-store";
        }

        Form = ToForm(Client);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        ModelState.Remove(nameof(DeleteConfirmation));
        Form.Type = IsConfidential ? ClientTypes.Confidential : ClientTypes.Public;
        var (registration, errors) = Form.ToRegistration();
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError($"Form.{field}", message);
        }

        if (!ModelState.IsValid || registration is null)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var result = await clients.UpdateAsync(Membership, Client, registration, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = "Client saved.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostDisableAsync() => SetDisabledAsync(true);

    public Task<IActionResult> OnPostEnableAsync() => SetDisabledAsync(false);

    public async Task<IActionResult> OnPostRotateAsync(string? grace)
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        Form = ToForm(Client);
        ModelState.Clear();
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!IsConfidential || grace is null || !ClientService.GracePeriods.TryGetValue(grace, out var period))
        {
            ModelState.AddModelError(string.Empty, IsConfidential ? "Choose a grace period." : "Public clients have no secret to rotate.");
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var (result, secret) = await clients.RotateSecretAsync(Membership, user, Client, period, HttpContext.RequestAborted);
        if (secret is null)
        {
            return Refused(result);
        }

        TempData[NewSecretKey] = secret.Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeSecretAsync(Guid secretId)
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        Form = ToForm(Client);
        ModelState.Clear();
        var result = await clients.RevokeSecretAsync(Membership, Client, secretId, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = "Secret revoked. It stopped working at once.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        Form = ToForm(Client);
        ModelState.Clear();
        if (!string.Equals(DeleteConfirmation?.Trim(), Client.DisplayName, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(DeleteConfirmation), "Type the client name exactly as shown to confirm.");
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var result = await clients.DeleteAsync(Membership, Client, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = $"Client \"{Client.DisplayName}\" was deleted, with its grants and tokens.";
        return Redirect($"/workspaces/{Workspace.Id}/clients");
    }

    private async Task<IActionResult> SetDisabledAsync(bool disabled)
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        var result = await clients.SetDisabledAsync(Membership, Client, disabled, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = disabled ? "Client disabled." : "Client enabled.";
        return RedirectToPage();
    }

    private static ClientForm ToForm(OAuthClient client) => new()
    {
        Name = client.DisplayName ?? "",
        Type = client.ClientType ?? ClientTypes.Confidential,
        RedirectUris = string.Join('\n', Json(client.RedirectUris)),
        PostLogoutRedirectUris = string.Join('\n', Json(client.PostLogoutRedirectUris)),
        AllowedOrigins = string.Join('\n', ClientService.Origins(client)),
        Scopes = ClientService.RegisteredScopes(client),
    };

    private static List<string> Json(string? array) =>
        string.IsNullOrEmpty(array) ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(array) ?? [];
}
