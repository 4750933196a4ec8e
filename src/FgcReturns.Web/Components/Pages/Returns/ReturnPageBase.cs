using System.Security.Claims;
using FgcReturns.Core.Returns;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace FgcReturns.Web.Components.Pages.Returns;

/// <summary>Loads the return for the signed-in user; anything they may not see is "not found".</summary>
public abstract class ReturnPageBase : ComponentBase
{
    [Parameter] public int ReturnId { get; set; }

    [Inject] protected ReturnService Returns { get; set; } = null!;

    [Inject] protected NavigationManager Navigation { get; set; } = null!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected ReturnContext? Context { get; private set; }

    protected ClaimsPrincipal User { get; private set; } = new();

    protected override async Task OnParametersSetAsync()
    {
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        Context = await Returns.GetAsync(User, ReturnId);
        if (Context is null)
        {
            Navigation.NotFound();
            return;
        }

        await OnReturnLoadedAsync();
    }

    protected virtual Task OnReturnLoadedAsync() => Task.CompletedTask;
}
