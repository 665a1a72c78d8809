using System.Text;
using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>
/// Turning two-factor authentication (TOTP authenticator apps) on and off, and recovery codes.
/// Recovery codes are shown once, on the response that creates them.
/// </summary>
[Authorize]
public sealed class TwoFactorModel(UserManager<User> users, SignInManager<User> signIn, PasswordConfirmation passwords) : PageModel
{
    public const int RecoveryCodeCount = 10;

    public bool Enabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>The authenticator key, in groups of four for typing.</summary>
    public string SharedKey { get; private set; } = "";

    public string QrCodeDataUri { get; private set; } = "";

    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        return user switch
        {
            null => Challenge(),
            { EmailConfirmed: false, TwoFactorEnabled: false } => VerifyFirst(),
            _ => await RenderAsync(user),
        };
    }

    public async Task<IActionResult> OnPostEnableAsync(string? code)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        // Enrolling a second factor on an account registered with someone else's address would lock
        // the real owner out after they reset the password: only a verified address may enrol.
        if (!user.EmailConfirmed)
        {
            return VerifyFirst();
        }

        var normalized = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, normalized))
        {
            ModelState.AddModelError("code", "That code is not valid. Enter the 6-digit code your app shows now.");
            return (await RenderAsync(user)).WithStatus(StatusCodes.Status400BadRequest);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        NewRecoveryCodes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!];
        // Enabling renewed the security stamp; keep this session.
        await signIn.RefreshSignInAsync(user);
        return await RenderAsync(user);
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await passwords.CheckAsync(user, password) is { Succeeded: false } check)
        {
            ModelState.AddModelError("regenerate", check.Error!);
            return (await RenderAsync(user)).WithStatus(check.StatusCode);
        }

        NewRecoveryCodes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!];
        return await RenderAsync(user);
    }

    public async Task<IActionResult> OnPostDisableAsync(string? password)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await passwords.CheckAsync(user, password) is { Succeeded: false } check)
        {
            ModelState.AddModelError("password", check.Error!);
            return (await RenderAsync(user)).WithStatus(check.StatusCode);
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key, so the old authenticator entry is useless if it is ever turned on again.
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        TempData["Status"] = "Two-factor authentication is off.";
        return RedirectToPage();
    }

    private RedirectResult VerifyFirst() => Redirect("/account/verify-email?purpose=two-factor&returnUrl=%2Faccount%2Ftwo-factor");

    private async Task<PageResult> RenderAsync(User user)
    {
        Response.Headers.CacheControl = "no-store";
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return Page();
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Resetting the key renews the security stamp: refresh this session's copy, or the next
            // stamp check (a minute later) would log out someone still scanning the QR code.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        SharedKey = Grouped(key!);
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Kryptos")}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=Kryptos&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        return Page();
    }

    private static string Grouped(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return grouped.ToString().TrimEnd().ToLowerInvariant();
    }
}
