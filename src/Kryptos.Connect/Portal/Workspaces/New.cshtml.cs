using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Workspaces;

[Authorize]
public sealed class NewModel(WorkspaceLifecycle workspaces, UserManager<User> users) : PageModel
{
    [BindProperty]
    public NewWorkspaceInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var workspace = await workspaces.CreateAsync(user, Input.Name, Input.Description, HttpContext.RequestAborted);
        TempData["Status"] = $"Workspace \"{workspace.Name}\" created.";
        return Redirect($"/workspaces/{workspace.Id}");
    }
}

public sealed class NewWorkspaceInput
{
    [Required(ErrorMessage = "Give the workspace a name.")]
    [StringLength(Workspace.NameMaxLength, ErrorMessage = "The name can be at most {1} characters.")]
    [RegularExpression(@".*\S.*", ErrorMessage = "Give the workspace a name.")]
    public string Name { get; set; } = "";

    [StringLength(Workspace.DescriptionMaxLength, ErrorMessage = "The description can be at most {1} characters.")]
    public string? Description { get; set; }
}
