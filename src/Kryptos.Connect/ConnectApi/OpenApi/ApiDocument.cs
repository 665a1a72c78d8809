using System.Text.Json;
using System.Text.Json.Nodes;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kryptos.Connect.ConnectApi.OpenApi;

/// <summary>Marks a list endpoint (see <see cref="ConnectApiExtensions.WithPaging"/>), so its document lists <c>limit</c> and <c>offset</c>.</summary>
internal sealed class PagedEndpoint;

/// <summary>An example of an endpoint's 200 answer (see <see cref="ConnectApiExtensions.WithExample"/>), written as the API writes it.</summary>
internal sealed record ResponseExample(object Value);

/// <summary>
/// The OpenAPI document of /v1, generated from the endpoints by Microsoft.AspNetCore.OpenApi, served at
/// <c>/openapi/v1.json</c> and committed at <c>docs/openapi/v1.json</c> (a test fails when they
/// differ; <c>scripts/update-openapi</c> rewrites the file). These transformers add what endpoint
/// metadata cannot say: the OAuth 2.0 scheme with our endpoints, each operation's scope, the problem
/// responses with examples, the paging parameters, and decimals as strings.
/// </summary>
internal static class ApiDocument
{
    public const string Name = "v1";
    public const string Path = "/openapi/{documentName}.json";
    public const string SecurityScheme = "oauth2";
    public const string ApiKeySecurityScheme = "apiKey";
    private const string ProblemSchema = "Problem";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("v1", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            Document(operation, context, json);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(decimal) || type == typeof(decimal?))
            {
                // DecimalStringConverter writes amounts as strings.
                schema.Type = type == typeof(decimal) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "decimal";
                schema.Pattern = "^-?[0-9]+(\\.[0-9]+)?$";
            }
            else if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
            {
                // UtcDateTimeOffsetConverter: ISO 8601 in UTC.
                schema.Type = type == typeof(DateTimeOffset) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
            }

            return Task.CompletedTask;
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Kryptos Connect API",
            Version = "v1",
            Description = """
                Read a user's crypto portfolio, transactions, tax and accounting data with their consent.

                **Authentication.** OAuth 2.0 authorization code with PKCE (S256) at `/oidc/auth` and `/oidc/token`.
                Send the access token in the `Authorization: Bearer` header; a token in the URL or a form body is refused.
                A token is bound to one workspace: no workspace id is ever passed. A workspace's own servers may instead
                send a workspace API key (`kryptos_live_…`) in the `X-API-Key` header, with the scopes it was created with.

                **Errors.** RFC 9457 problem details (`application/problem+json`) with a stable `code`:
                401 `unauthorized` / `invalid_token` / `invalid_api_key` / `api_key_expired` / `invalid_request` (with
                `WWW-Authenticate: Bearer`), 403 `insufficient_scope` (naming the `scope`) or `ip_not_allowed`, 404 `not_found`,
                405 `method_not_allowed`, 400 with a code per bad parameter.

                **Shapes.** Lists are `{ "data": [...], "pagination": { "limit", "offset", "total", "hasMore" } }`
                (`limit` 1–200, default 50); single resources are `{ "data": {...} }`. Amounts are decimal strings,
                times ISO 8601 in UTC (`Z`).
                """,
        };
        // Relative to wherever the document is served: the same file fits every deployment.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Authorization code with PKCE (S256). Public clients send no secret.",
            Flows = new OpenApiOAuthFlows
            {
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri("/oidc/auth", UriKind.Relative),
                    TokenUrl = new Uri("/oidc/token", UriKind.Relative),
                    RefreshUrl = new Uri("/oidc/token", UriKind.Relative),
                    Scopes = KryptosScopes.All.ToDictionary(s => s.Name, s => s.Description),
                },
            },
        };
        document.Components.SecuritySchemes[ApiKeySecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "A workspace API key (`kryptos_live_…`), created by the workspace's owners and admins in the portal. Header only; a key in the URL or a form body is refused.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details. Branch on `code`, which is stable; `title` and `detail` are for people.",
            Required = new HashSet<string> { "status", "title", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI reference that identifies the problem type." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary." },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, for a person." },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable error code." },
                ["scope"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "With `insufficient_scope`: the scope the resource needs." },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in the server's logs." },
            },
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Users", Description = "The person who authorized the app." },
            new() { Name = "Workspace", Description = "The workspace the token is bound to." },
            new() { Name = "Portfolios", Description = "Holdings per asset and per account, computed from the transactions." },
            new() { Name = "Transactions", Description = "The workspace's transactions with their incoming, outgoing and fee lines." },
            new() { Name = "Integrations", Description = "Wallets, exchange accounts and CSV sources." },
            new() { Name = "Tax", Description = "Realized gains by term and income, under the workspace's cost-basis method." },
            new() { Name = "Accounting", Description = "The double-entry ledger derived from the transactions." },
            new() { Name = "Reports", Description = "Generated CSV reports and their downloads." },
            new() { Name = "Providers", Description = "Supported exchanges, wallets and chains (public)." },
            new() { Name = "API keys", Description = "Leak reports for secret scanners (public)." },
        };
    }

    private static void Document(OpenApiOperation operation, OpenApiOperationTransformerContext context, JsonSerializerOptions json)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<ResponseExample>().LastOrDefault() is { Value: string csv }
            && operation.Responses?.TryGetValue("200", out var file) == true
            && file is OpenApiResponse fileResponse)
        {
            // A download: the example is the file itself.
            fileResponse.Description = "The report as CSV (UTF-8, RFC 4180), as an attachment.";
            fileResponse.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(csv) },
            };
        }
        else if (metadata.OfType<ResponseExample>().LastOrDefault() is { } example
            && operation.Responses?.TryGetValue("200", out var ok) == true
            && ok.Content?.TryGetValue("application/json", out var content) == true)
        {
            content.Example = JsonSerializer.SerializeToNode(example.Value, example.Value.GetType(), json);
        }

        var scope = metadata.OfType<IAuthorizeData>()
            .Select(a => a.Policy)
            .LastOrDefault(p => p?.StartsWith(ScopePolicies.For(""), StringComparison.Ordinal) == true)?[ScopePolicies.For("").Length..];
        var isPublic = metadata.OfType<IAllowAnonymous>().Any() || scope is null;
        operation.Responses ??= [];
        operation.Parameters ??= [];

        if (metadata.OfType<PagedEndpoint>().Any())
        {
            operation.Parameters.Add(QueryParameter("limit", $"Page size, 1–{PageRequest.MaxLimit}. Default {PageRequest.DefaultLimit}.",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = JsonValue.Create(PageRequest.DefaultLimit) }));
            operation.Parameters.Add(QueryParameter("offset", "How many items to skip. Default 0.",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Default = JsonValue.Create(0) }));
        }

        if (operation.Parameters.Any(p => p.In == ParameterLocation.Query))
        {
            operation.Responses["400"] = Problem(context.Document!, "A query parameter is not valid (the `code` names which).", 400, "invalid_limit", "Bad request",
                $"limit must be one whole number from 1 to {PageRequest.MaxLimit} (default {PageRequest.DefaultLimit}).");
        }

        if (!isPublic)
        {
            operation.Description = $"{operation.Description}\n\nScope: `{scope}`.".TrimStart();
            // Either an access token or an API key with the scope.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = [scope!] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeySecurityScheme, context.Document)] = [] },
            ];
            operation.Responses["401"] = Problem(context.Document!, "No access token or API key, or one that is not valid, expired or revoked (`invalid_token`, `invalid_api_key`, `api_key_expired`). `WWW-Authenticate: Bearer` says which.", 401, "invalid_token", "Unauthorized", "The access token was revoked.");
            operation.Responses["403"] = Problem(context.Document!, $"The token or key lacks the scope `{scope}` (`WWW-Authenticate: Bearer error=\"insufficient_scope\"`), or the key does not allow the caller's IP address (`ip_not_allowed`).", 403, "insufficient_scope", "Insufficient scope",
                $"This resource needs the scope {scope}; ask the user to authorize it.", scope);
        }
        else
        {
            operation.Security = [];
        }

        operation.Responses["404"] = Problem(context.Document!, "Not found, or not in the token's workspace.", 404, "not_found", "Not found", "There is no such resource in the Connect API. See /openapi/v1.json.");
    }

    private static OpenApiParameter QueryParameter(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema };

    private static OpenApiResponse Problem(OpenApiDocument document, string description, int status, string code, string title, string detail, string? scope = null)
    {
        var example = new JsonObject
        {
            ["type"] = status switch
            {
                400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
                403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
                _ => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            },
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
        };
        if (scope is not null)
        {
            example["scope"] = scope;
        }

        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document), Example = example },
            },
        };
    }
}
