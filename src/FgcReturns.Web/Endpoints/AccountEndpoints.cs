using FgcReturns.Core.Identity;
using FgcReturns.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace FgcReturns.Web.Endpoints;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form field makes the framework validate the antiforgery token: nobody can be signed out by another site.
        endpoints.MapPost("/account/sign-out", async Task<IResult> (HttpContext context, [FromForm] string? returnUrl, SignInManager<FgcUser> signIn, SignInSettings settings) =>
        {
            // Someone who came through DfE Sign-in leaves it too: the response goes to its end-session endpoint.
            var toProvider = await DfeSignIn.SignOutOfProviderAsync(context, settings);
            await signIn.SignOutAsync();
            return toProvider ? Results.Empty : TypedResults.LocalRedirect("/account/signed-out");
        });
        return endpoints;
    }
}
