using System.Text.RegularExpressions;

namespace Kryptos.UnitTests.Architecture;

/// <summary>
/// The dependency rule of docs/architecture.md, read from the source: which feature folder of
/// src/Kryptos.Connect may name which other. A file depends on another area when it imports its
/// namespace (<c>using</c>, <c>@using</c>, <c>@model</c>, a fully qualified name, or a name relative to
/// <c>Kryptos.Connect</c> such as <c>Accounts.User</c>); Razor views also inherit the
/// <c>_ViewImports.cshtml</c> of their folders.
/// </summary>
public sealed partial class DependencyRuleTests
{
    /// <summary>Which areas each area may depend on (besides itself).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Data"] = ["Hosting"],
        ["Hosting"] = ["Data"],
        ["Core"] = ["Data", "Hosting"],
        ["Accounts"] = ["Core", "Data", "Hosting"],
        ["Authorization"] = ["Core", "Data", "Hosting", "Usage"],
        // The portal is the developers' UI: it manages OAuth clients and lists grants through
        // Authorization's public services; nothing else depends on the portal.
        ["Portal"] = ["Core", "Data", "Hosting", "Authorization", "Portfolio", "Usage"],
        // The portfolio domain knows workspaces, not who reads it (pages or apps).
        ["Portfolio"] = ["Core", "Data", "Hosting"],
        // The Connect API serves the portfolio to apps; it authenticates through Authorization's validation side.
        // It meters its requests into Usage, passing plain values.
        ["ConnectApi"] = ["Core", "Data", "Hosting", "Authorization", "Portfolio", "Usage"],
        // Usage statistics know workspaces and plain ids, not tokens, keys or the API that meters them.
        ["Usage"] = ["Core", "Data", "Hosting"],
        ["Shared"] = ["Core", "Hosting"],
        // Program.cs is the table of contents: it names every area.
        [""] = ["Accounts", "Authorization", "ConnectApi", "Core", "Data", "Hosting", "Portal", "Portfolio", "Usage"],
    };

    /// <summary>
    /// The one DbContext of the product sees every entity (one context, configurations beside their
    /// feature); migrations are generated from it.
    /// </summary>
    private static readonly string[] ModelFiles = ["Data/KryptosDbContext.cs", "Data/Migrations/"];

    private static readonly string[] Areas = ["Accounts", "Authorization", "ConnectApi", "Core", "Data", "Hosting", "Portal", "Portfolio", "Shared", "Usage"];

    [Fact]
    public void EveryArea_DependsOnlyOnWhatTheRuleAllows()
    {
        var violations = new List<string>();
        foreach (var file in SourceFiles())
        {
            var area = AreaOf(file.Path);
            if (ModelFiles.Any(file.Path.StartsWith))
            {
                continue;
            }

            foreach (var used in AreasUsedBy(file).Where(used => used != area && !Allowed[area].Contains(used)))
            {
                violations.Add($"{file.Path} ({(area.Length == 0 ? "root" : area)}) uses {used}");
            }
        }

        Assert.True(violations.Count == 0, "The dependency rule is broken:" + Environment.NewLine + string.Join(Environment.NewLine, violations.Distinct()));
    }

    [Fact]
    public void OnlyAuthorization_UsesOpenIddictsManagersAndServer()
    {
        var violations = SourceFiles()
            .Where(f => AreaOf(f.Path) is not ("Authorization" or "Data"))
            .Where(f => OpenIddictInternals().IsMatch(f.Text))
            .Select(f => f.Path)
            .ToList();

        Assert.True(violations.Count == 0, "OpenIddict's managers and server are Authorization's internals: " + string.Join(", ", violations));
    }

    [Fact]
    public void TheRuleTest_FindsAViolation()
    {
        // Guards the test itself: a file of Accounts naming the portal must be reported.
        var file = new SourceFile("Accounts/Example.cs", "using Kryptos.Connect.Portal.Workspaces;\nnamespace Kryptos.Connect.Accounts;\nclass A { Authorization.OAuthClient? c; }");

        Assert.Equal(["Authorization", "Portal"], AreasUsedBy(file).Where(area => area != "Accounts").Distinct().Order());
    }

    [Fact]
    public void NoCommentOrDocument_PointsOutsideTheRepository()
    {
        var root = RepositoryRoot();
        var outside = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path) is ".cs" or ".cshtml" or ".md" or ".js" or ".css" or ".http" or ".json")
            .Where(path => !IsBuildOutput(path))
            .SelectMany(path => File.ReadLines(path).Select((line, index) => (Path: Path.GetRelativePath(root, path), Line: index + 1, Text: line)))
            .Where(line => OutsideReference().IsMatch(line.Text))
            .Select(line => $"{line.Path}:{line.Line}: {line.Text.Trim()}")
            .ToList();

        Assert.True(outside.Count == 0, "These lines point outside the repository:" + Environment.NewLine + string.Join(Environment.NewLine, outside));
    }

    private static IEnumerable<string> AreasUsedBy(SourceFile file)
    {
        var text = file.Text;
        if (file.Path.EndsWith(".cshtml", StringComparison.Ordinal))
        {
            text += string.Concat(ViewImportsOf(file.Path));
        }

        foreach (Match match in QualifiedName().Matches(text))
        {
            yield return match.Groups["area"].Value;
        }

        // Inside namespace Kryptos.Connect.X, "Accounts.User" means Kryptos.Connect.Accounts.User.
        foreach (Match match in RelativeName().Matches(StripComments(text)))
        {
            yield return match.Groups["area"].Value;
        }
    }

    private static IEnumerable<string> ViewImportsOf(string path)
    {
        var source = SourceRoot();
        var folder = Path.GetDirectoryName(path) ?? "";
        while (true)
        {
            var imports = Path.Combine(source, folder, "_ViewImports.cshtml");
            if (File.Exists(imports))
            {
                yield return File.ReadAllText(imports);
            }

            if (folder.Length == 0)
            {
                yield break;
            }

            folder = Path.GetDirectoryName(folder) ?? "";
        }
    }

    private static string AreaOf(string path)
    {
        var first = path.Split('/')[0];
        return Areas.Contains(first) ? first : "";
    }

    private static string StripComments(string text) => LineComment().Replace(text, "");

    private static IEnumerable<SourceFile> SourceFiles()
    {
        var source = SourceRoot();
        return Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path) is ".cs" or ".cshtml")
            .Where(path => !IsBuildOutput(path))
            .Select(path => new SourceFile(Path.GetRelativePath(source, path).Replace('\\', '/'), File.ReadAllText(path)));
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "TestResults" or "node_modules" or ".git");

    private static string SourceRoot() => Path.Combine(RepositoryRoot(), "src", "Kryptos.Connect");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kryptos.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Kryptos.slnx not found above " + AppContext.BaseDirectory);
    }

    private sealed record SourceFile(string Path, string Text);

    [GeneratedRegex(@"Kryptos\.Connect\.(?<area>Accounts|Authorization|ConnectApi|Core|Data|Hosting|Portal|Portfolio|Shared|Usage)\b")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.""/])(?<area>Accounts|Authorization|Core|Portal)\.[A-Z]\w*")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"using OpenIddict\.(Core|Server)\b|OpenIddict(Application|Authorization|Token|Scope)Manager<")]
    private static partial Regex OpenIddictInternals();

    [GeneratedRegex(@"\.\./shared|\b(PRODUCT|SECURITY|STYLE|ENVIRONMENT|DEVELOPERS)\.md\b")]
    private static partial Regex OutsideReference();
}
