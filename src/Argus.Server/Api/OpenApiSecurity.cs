using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Argus.Server.Api;

/// <summary>Documents that every operation takes a bearer token (from POST /api/auth/token) unless marked anonymous.</summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Argus API";
        document.Info.Description = "Video surveillance: cameras, recordings, clips, events. Authenticate with POST /api/auth/token, "
            + "then send 'Authorization: Bearer <token>'. Times are ISO-8601; ranges are [from, to).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Opaque token from POST /api/auth/token (valid 12 h).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
