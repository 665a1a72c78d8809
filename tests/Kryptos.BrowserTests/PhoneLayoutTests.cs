using System.Security.Cryptography;
using System.Text;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>
/// Issue 7, point 16: people approve apps on phones. Every portal page and the consent page fits a
/// 390 px wide phone screen without scrolling sideways, and the OAuth guide fits a 1280 px window,
/// filled with real, long content: long names, redirect URIs, e-mail addresses, a secret shown once.
/// </summary>
public sealed class PhoneLayoutTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    // Real-looking and long: German compounds do not break at a space, URIs and addresses not at all.
    private const string WorkspaceName = "Steuerberatungsgesellschaft Nordwind — Kryptowährungsportfolios";
    private const string ClientName = "Kryptowährungssteuerberechnungsassistent — Nordwind Buchhaltung production web server";
    private const string CallbackBase = "https://nordwind-buchhaltung-production.eu-central-1.apps.example.com";

    private static readonly string[] RedirectUris =
    [
        CallbackBase + "/integrations/kryptos-connect/oauth2/authorization-code/callback/signin-oidc?tenant=nordwind-steuerberatungsgesellschaft-0123456789abcdef",
        "https://staging.nordwind-buchhaltung.example.com/integrations/kryptos-connect/oauth2/authorization-code/callback/signin-oidc",
        "http://127.0.0.1/callback",
    ];

    private static readonly string[] PostLogoutRedirectUris =
    [
        CallbackBase + "/integrations/kryptos-connect/oauth2/signed-out/callback/signout-callback-oidc?tenant=nordwind-steuerberatungsgesellschaft",
    ];

    private static readonly string[] AllScopes =
    [
        "openid", "profile", "email", "offline_access", "portfolios:read", "transactions:read", "integrations:read",
        "tax:read", "accounting:read", "reports:read", "workspace:read", "users:read",
    ];

    /// <summary>
    /// Every page to check, in the order visited. A new page is one more row: a name for the failure
    /// message, who looks at it, the level-1 heading that proves the right page is shown, and how to
    /// get there (a path, or steps for pages that only follow an action).
    /// </summary>
    private static readonly PageCheck[] Pages =
    [
        // Signed out.
        PageCheck.Get("landing", Viewer.Visitor, "Build on your users' crypto data", _ => "/"),
        PageCheck.Get("sign-up", Viewer.Visitor, "Create your Kryptos account", _ => "/account/signup"),
        PageCheck.Get("login", Viewer.Visitor, "Log in to Kryptos", _ => "/account/login"),
        PageCheck.Get("forgot password", Viewer.Visitor, "Reset your password", _ => "/account/forgot-password"),
        PageCheck.Get("check e-mail", Viewer.Visitor, "Check your email", _ => "/account/check-email"),
        PageCheck.Get("reset password", Viewer.Visitor, "Choose a new password", _ => "/account/reset-password?userId=nobody&code=nothing"),
        PageCheck.Get("e-mail link that does not work", Viewer.Visitor, "This link does not work", _ => "/account/confirm-email?userId=nobody&code=nothing"),
        PageCheck.Get("OAuth guide, signed out", Viewer.Visitor, "OAuth 2.0 and OpenID Connect guide", _ => "/docs/oauth"),
        new("invitation", Viewer.Visitor, s => $"Join {s.WorkspaceName}", async (s, page) =>
        {
            await page.GotoAsync("/dev/outbox");
            var mail = await new OutboxPage(page).OpenLatestMailAsync(s.PendingInvitee, "invited you to");
            await mail.FollowLinkAsync("/invitations/");
        }),
        PageCheck.Get("error 404", Viewer.Visitor, "Page not found", _ => "/no-such-page/anywhere"),
        PageCheck.Get("confirm e-mail change, bad link", Viewer.Visitor, "Confirm your new email address", _ => "/account/confirm-email-change"),
        PageCheck.Get("sign-in error (unknown client)", Viewer.Visitor, "This sign-in request is not valid", _ => "/oidc/auth?response_type=code&client_id=kc_unknown&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&scope=openid"),

        // Signed in as the workspace's owner.
        PageCheck.Get("landing, signed in", Viewer.Developer, "Build on your users' crypto data", _ => "/"),
        PageCheck.Get("workspaces list", Viewer.Developer, "Workspaces", _ => "/workspaces"),
        PageCheck.Get("new workspace", Viewer.Developer, "Create a workspace", _ => "/workspaces/new"),
        PageCheck.Get("workspace dashboard", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath),
        PageCheck.Get("clients list", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/clients"),
        PageCheck.Get("new client", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/clients/new"),
        PageCheck.Get("client details", Viewer.Developer, s => s.WorkspaceName, s => s.ClientPath),
        new("client details with the one-time secret", Viewer.Developer, s => s.WorkspaceName, async (s, page) =>
        {
            await page.GotoAsync(s.ClientPath);
            await new ClientDetailsPage(page).RotateSecretAsync("7d");
        }),
        PageCheck.Get("members", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/members"),
        PageCheck.Get("workspace settings", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/settings"),
        PageCheck.Get("audit log", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/audit"),
        PageCheck.Get("workspace connected apps", Viewer.Developer, s => s.WorkspaceName, s => s.WorkspacePath + "/connected-apps"),
        PageCheck.Get("OAuth guide", Viewer.Developer, "OAuth 2.0 and OpenID Connect guide", s => "/docs/oauth?client=" + s.ClientId),
        PageCheck.Get("OAuth guide", Viewer.Developer, "OAuth 2.0 and OpenID Connect guide", s => "/docs/oauth?client=" + s.ClientId, Desktop),
        PageCheck.Get("account settings", Viewer.Developer, "Account settings", _ => "/account"),
        PageCheck.Get("connected apps", Viewer.Developer, "Connected apps", _ => "/account/connected-apps"),
        PageCheck.Get("change e-mail", Viewer.Developer, "Change your email address", _ => "/account/email"),
        PageCheck.Get("delete account", Viewer.Developer, "Delete your account", _ => "/account/delete"),
        PageCheck.Get("consent", Viewer.Developer, "wants to access your Kryptos account", s => s.ConsentPath),
        PageCheck.Get("end-session confirmation", Viewer.Developer, "Log out of Kryptos?", s => s.EndSessionPath),
        PageCheck.Get("dev outbox", Viewer.Developer, "Outbox", _ => "/dev/outbox"),
        new("dev outbox, one mail", Viewer.Developer, _ => "Outbox", async (s, page) =>
        {
            await page.GotoAsync("/dev/outbox");
            await new OutboxPage(page).OpenLatestMailAsync(s.PendingInvitee, "invited you to");
        }),
        PageCheck.Get("log out", Viewer.Developer, "Log out", _ => "/account/logout"),
        PageCheck.Get("error 404, signed in", Viewer.Developer, "Page not found", s => s.WorkspacePath + "/no-such-tab"),
        PageCheck.Get("two-factor set-up", Viewer.Developer, "Two-factor authentication", _ => "/account/two-factor"),
    ];

    [Fact]
    public Task EveryPage_FitsAPhoneScreen_AndTheOAuthGuideADesktopWindow_WithoutScrollingSideways() => InBrowserAsync(async page =>
    {
        var scene = await BuildSceneAsync(page);
        await using var visitorContext = await Fixture.Browser.NewContextAsync(new() { BaseURL = BaseAddress.ToString(), ViewportSize = Phone });
        var visitor = await visitorContext.NewPageAsync();

        var failures = new List<string>();
        foreach (var check in Pages)
        {
            var viewer = check.Viewer == Viewer.Visitor ? visitor : page;
            var size = check.Size ?? Phone;
            await viewer.SetViewportSizeAsync(size.Width, size.Height);
            await check.Open(scene, viewer);
            await Expect(viewer.GetByRole(AriaRole.Heading, new() { Level = 1 }).First).ToContainTextAsync(check.Heading(scene));

            var overflow = await HorizontalOverflow.MeasureAsync(viewer);
            if (!overflow.Fits)
            {
                var screenshot = await SaveScreenshotAsync(viewer, $"{check.Name} {size.Width}");
                failures.Add($"{check.Name} at {size.Width}x{size.Height} ({new Uri(viewer.Url).PathAndQuery}): {overflow}. Screenshot: {screenshot}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Pages.Length} pages scroll sideways:\n- " + string.Join("\n- ", failures));
    }, new BrowserNewContextOptions { ViewportSize = Phone });

    /// <summary>
    /// A verified developer with a long-named workspace and a confidential client with long URIs, a
    /// colleague who joined as editor, an invitation still pending, and an app connected through a
    /// real consent: every page then shows real, long content, and the audit log has entries.
    /// </summary>
    private async Task<Scene> BuildSceneAsync(IPage page)
    {
        var developer = Person.New("Maximiliane Featherstonehaugh-Cholmondeley", "phone-layout-developer");
        var colleague = Person.New("Bartholomäus Oberhollenzer-Wiesenthal", "phone-layout-colleague");
        var pendingInvitee = $"accounts-payable.{Guid.NewGuid():N}@subsidiaries.nordwind-buchhaltung-international.example.com";

        var workspace = await Journeys.DeveloperWithWorkspaceAsync(page, developer, WorkspaceName);
        var workspacePath = $"/workspaces/{workspace.Id}";
        var newClient = await (await workspace.OpenClientsAsync()).StartNewClientAsync();
        await page.GetByLabel("Allowed CORS origins").FillAsync(CallbackBase + "\nhttps://staging.nordwind-buchhaltung.example.com");
        var client = await newClient.CreateAsync(ClientName, RedirectUris, PostLogoutRedirectUris);
        var clientId = await client.ClientId.InputValueAsync();

        var members = await client.OpenMembersAsync();
        await members.InviteAsync(colleague.Email, "Editor");
        await members.InviteAsync(pendingInvitee, "Viewer");
        await JoinAsync(colleague);

        // The developer connects the client to the workspace through a real authorization request;
        // the client's server is not there, so the browser is answered at its redirect URI.
        await page.Context.RouteAsync(url => url.StartsWith(CallbackBase, StringComparison.Ordinal), route => route.FulfillAsync(new() { ContentType = "text/plain", Body = "signed in" }));
        var authorize = AuthorizePath(clientId);
        await page.GotoAsync(authorize);
        var consent = new ConsentPage(page);
        await consent.Workspace(WorkspaceName).CheckAsync();
        await consent.AllowAsync();
        await page.WaitForURLAsync(url => url.StartsWith(RedirectUris[0], StringComparison.Ordinal) && url.Contains("code=", StringComparison.Ordinal));

        return new Scene(
            WorkspaceName,
            workspacePath,
            clientId,
            $"{workspacePath}/clients/{clientId}",
            pendingInvitee,
            // A remembered grant skips the consent screen; prompt=consent shows it again.
            authorize + "&prompt=consent",
            $"/oidc/session/end?client_id={clientId}&post_logout_redirect_uri={Uri.EscapeDataString(PostLogoutRedirectUris[0])}");
    }

    /// <summary><paramref name="colleague"/> signs up in a browser of their own and accepts the invitation.</summary>
    private async Task JoinAsync(Person colleague)
    {
        await using var context = await Fixture.Browser.NewContextAsync(new() { BaseURL = BaseAddress.ToString(), ViewportSize = Phone });
        var page = await context.NewPageAsync();
        // Verified first: an unverified account cannot accept invitations.
        var outbox = await (await Journeys.SignUpVerifiedAsync(page, colleague)).OpenOutboxAsync();
        var mail = await outbox.OpenLatestMailAsync(colleague.Email, $"invited you to {WorkspaceName}");
        await mail.FollowLinkAsync("/invitations/");
        await new InvitationPage(page).AcceptAsync(WorkspaceName);
    }

    /// <summary>An authorization request as a client sends it: code flow, PKCE S256, every default scope.</summary>
    private static string AuthorizePath(string clientId)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var parameters = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUris[0],
            ["scope"] = string.Join(' ', AllScopes),
            ["state"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        return "/oidc/auth?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    /// <summary>A screenshot of a page that does not fit, beside the fixture's artifacts of a failed test.</summary>
    private static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var file = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        var path = Path.Combine(ArtifactsDirectory, $"{nameof(PhoneLayoutTests)}.{file}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private enum Viewer
    {
        /// <summary>Signed out.</summary>
        Visitor,

        /// <summary>Signed in as the workspace's owner, who published the client and connected it.</summary>
        Developer,
    }

    /// <summary>What the setup made, for the paths of the pages.</summary>
    private sealed record Scene(
        string WorkspaceName,
        string WorkspacePath,
        string ClientId,
        string ClientPath,
        string PendingInvitee,
        string ConsentPath,
        string EndSessionPath);

    /// <summary>One row of <see cref="Pages"/>. <see cref="Size"/> is the phone unless given.</summary>
    private sealed record PageCheck(string Name, Viewer Viewer, Func<Scene, string> Heading, Func<Scene, IPage, Task> Open, ViewportSize? Size = null)
    {
        public static PageCheck Get(string name, Viewer viewer, string heading, Func<Scene, string> path, ViewportSize? size = null) =>
            Get(name, viewer, _ => heading, path, size);

        public static PageCheck Get(string name, Viewer viewer, Func<Scene, string> heading, Func<Scene, string> path, ViewportSize? size = null) =>
            new(name, viewer, heading, (scene, page) => page.GotoAsync(path(scene)), size);
    }
}
