using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.RateLimits;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portal.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Kryptos.Connect.Portal.Workspaces;

public sealed class SettingsModel(WorkspaceService workspaces, MemberService members, ApiRateLimiter limits) : WorkspacePageModel
{
    /// <summary>This workspace's limits per minute, its override or the default (all instances together).</summary>
    public int ApiLimit => limits.PerMinute(RateLimitKind.Api, Workspace.Id);

    public int TokenLimit => limits.PerMinute(RateLimitKind.Token, Workspace.Id);

    [BindProperty]
    public WorkspaceSettingsInput Input { get; set; } = new();

    [BindProperty]
    public string? DeleteConfirmation { get; set; }

    public IEnumerable<SelectListItem> CurrencyOptions => Currencies.Supported.Select(c => new SelectListItem(c, c));

    public IEnumerable<SelectListItem> MethodOptions =>
        Enum.GetValues<CostBasisMethod>().Select(m => new SelectListItem(m.ToString().ToUpperInvariant(), m.ToString()));

    public void OnGet() => Input = WorkspaceSettingsInput.From(Workspace);

    public async Task<IActionResult> OnPostAsync()
    {
        if (Require(WorkspaceOperation.EditSettings) is { } denied)
        {
            return denied;
        }

        ModelState.Remove(nameof(DeleteConfirmation));
        if (!Currencies.IsSupported(Input.BaseCurrency))
        {
            ModelState.AddModelError("Input.BaseCurrency", "Choose one of the listed currencies.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await workspaces.UpdateSettingsAsync(Membership,
            new WorkspaceSettings(Input.Name, Input.Description, Input.BaseCurrency, Input.CostBasisMethod, Input.MembersMayConnectApps), HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = "Settings saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (Require(WorkspaceOperation.Delete) is { } denied)
        {
            return denied;
        }

        Input = WorkspaceSettingsInput.From(Workspace);
        ModelState.Clear();
        if (!string.Equals(DeleteConfirmation?.Trim(), Workspace.Name, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(DeleteConfirmation), "Type the workspace name exactly as shown to confirm.");
            return Page();
        }

        var result = await workspaces.DeleteAsync(Membership, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = $"Workspace \"{Workspace.Name}\" was deleted.";
        return Redirect("/workspaces");
    }

    public async Task<IActionResult> OnPostLeaveAsync()
    {
        Input = WorkspaceSettingsInput.From(Workspace);
        ModelState.Clear();
        var result = await members.LeaveAsync(Membership, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = $"You left \"{Workspace.Name}\".";
        return Redirect("/workspaces");
    }
}

public sealed class WorkspaceSettingsInput
{
    [Required(ErrorMessage = "Give the workspace a name.")]
    [StringLength(Workspace.NameMaxLength, ErrorMessage = "The name can be at most {1} characters.")]
    [RegularExpression(@".*\S.*", ErrorMessage = "Give the workspace a name.")]
    public string Name { get; set; } = "";

    [StringLength(Workspace.DescriptionMaxLength, ErrorMessage = "The description can be at most {1} characters.")]
    public string? Description { get; set; }

    [Required(ErrorMessage = "Choose a base currency.")]
    public string BaseCurrency { get; set; } = "USD";

    [EnumDataType(typeof(CostBasisMethod), ErrorMessage = "Choose FIFO, LIFO or HIFO.")]
    public CostBasisMethod CostBasisMethod { get; set; }

    public bool MembersMayConnectApps { get; set; }

    public static WorkspaceSettingsInput From(Workspace workspace) => new()
    {
        Name = workspace.Name,
        Description = workspace.Description,
        BaseCurrency = workspace.BaseCurrency,
        CostBasisMethod = workspace.CostBasisMethod,
        MembersMayConnectApps = workspace.MembersMayConnectApps,
    };
}
