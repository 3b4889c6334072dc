using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Ledger.Api.Auth;

/// <summary>Describes the bearer tokens in the OpenAPI document: the scheme, which operations need it, and that the others need nothing.</summary>
public static class OpenApiSecurity
{
    public static OpenApiOptions AddBearerSecurity(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A ledger token, glt_<tokenId>_<secret>: an emitter's for appends, an admin's for /v1/admin, either for decisions.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // A public operation says so (`security: []`) rather than stating nothing.
            operation.Security = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerAuthenticationHandler.SchemeName, context.Document)] = [] }]
                : [];

            return Task.CompletedTask;
        });
        return options;
    }
}
