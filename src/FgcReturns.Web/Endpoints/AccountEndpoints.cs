using FgcReturns.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FgcReturns.Web.Endpoints;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form field makes the framework validate the antiforgery token: nobody can be signed out by another site.
        endpoints.MapPost("/account/sign-out", async ([FromForm] string? returnUrl, SignInManager<FgcUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/signed-out");
        });
        return endpoints;
    }
}
