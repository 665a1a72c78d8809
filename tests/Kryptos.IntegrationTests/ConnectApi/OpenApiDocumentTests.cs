using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>
/// The OpenAPI document is generated from the code, served at /openapi/v1.json and committed at
/// docs/openapi/v1.json; the two must not drift. Run <c>scripts/update-openapi</c> after changing the API.
/// </summary>
public sealed class OpenApiDocumentTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task TheCommittedDocument_IsWhatTheCodeGenerates()
    {
        var generated = await GeneratedAsync();
        var path = Path.Combine(RepositoryRoot(), "docs", "openapi", "v1.json");
        if (Environment.GetEnvironmentVariable("KRYPTOS_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(committed == generated,
            "docs/openapi/v1.json differs from the document the code generates. Run scripts/update-openapi and commit the file.");
    }

    [Fact]
    public async Task EveryOperation_DocumentsItsScopeAndItsErrors_WithExamples()
    {
        var document = JsonNode.Parse(await GeneratedAsync())!;
        var flows = document["components"]!["securitySchemes"]!["oauth2"]!["flows"]!["authorizationCode"]!;
        Assert.Equal("/oidc/auth", flows["authorizationUrl"]!.GetValue<string>());
        Assert.Equal("/oidc/token", flows["tokenUrl"]!.GetValue<string>());
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Path: path.Key, Method: op.Key, Operation: op.Value!)))
            .ToList();
        Assert.Contains(operations, o => o.Path == "/v1/users/me");
        Assert.Contains(operations, o => o.Path == "/v1/workspace");
        Assert.Contains(operations, o => o.Path == "/v1/providers");

        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            Assert.False(string.IsNullOrEmpty(operation["operationId"]?.GetValue<string>()), $"{name} has no operationId");
            Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), $"{name} has no summary");
            var responses = operation["responses"]!.AsObject();
            if (path == "/v1/keys/leaked")
            {
                // The public leak report: 202 with the same body always, 400 for a bad body, no security.
                Assert.NotNull(responses["202"]);
                Assert.NotNull(responses["400"]);
                Assert.Empty(operation["security"]!.AsArray());
                continue;
            }

            var okExample = path.EndsWith("/download", StringComparison.Ordinal)
                ? responses["200"]?["content"]?["text/csv"]?["example"]
                : responses["200"]?["content"]?["application/json"]?["example"]?["data"];
            Assert.True(okExample is not null, $"{name} has no example of its 200 answer");
            var errors = path == "/v1/providers" ? new[] { "400", "404" } : ["401", "403", "404"];
            foreach (var status in errors)
            {
                var example = responses[status]?["content"]?["application/problem+json"]?["example"];
                Assert.True(example?["code"] is not null, $"{name} has no problem example for {status}");
            }

            var security = operation["security"]!.AsArray();
            if (path == "/v1/providers")
            {
                Assert.Empty(security);
                continue;
            }

            // An access token with the scope, or an API key (whose scopes are its own).
            Assert.Equal(2, security.Count);
            Assert.NotNull(security[1]!["apiKey"]);
            var scopes = security[0]!["oauth2"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var scope = Assert.Single(scopes);
            Assert.Equal(scope, responses["403"]!["content"]!["application/problem+json"]!["example"]!["scope"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task TheDocumentedScopes_AreTheOnesTheApiEnforces()
    {
        var document = JsonNode.Parse(await GeneratedAsync())!;
        using var http = factory.Backchannel();

        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Value!["get"]?["security"]?.AsArray().Count > 0))
        {
            // Every scope but the documented one: refused, naming exactly that scope.
            var scope = item!["get"]!["security"]![0]!["oauth2"]![0]!.GetValue<string>();
            var app = await factory.ConnectAppAsync(string.Join(' ', ApiIntents.AllScopes.Split(' ').Where(s => s != scope)));
            using var response = await http.GetApiAsync(path, app.AccessToken);
            var problem = await ApiIntents.ProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
            Assert.Equal(scope, problem.GetProperty("scope").GetString());
        }
    }

    private async Task<string> GeneratedAsync()
    {
        using var http = factory.Backchannel();
        using var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return json!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kryptos.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Kryptos.slnx not found above " + AppContext.BaseDirectory);
    }
}
