using Bunit;
using FgcReturns.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Web.Tests.Layout;

public sealed class MainLayoutTests : BunitContext
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "Page content"))));

    private static string[] NavTexts(IRenderedComponent<MainLayout> cut) =>
        [.. cut.FindAll(".govuk-service-navigation__list a.govuk-service-navigation__link").Select(a => a.TextContent.Trim())];

    [Fact]
    public void Anonymous_ShowsSignInLinkAndTemplateLandmarks()
    {
        AddAuthorization();

        var cut = RenderLayout();

        NavTexts(cut).ShouldBe(["Sign in"]);
        cut.Find("a.govuk-skip-link").GetAttribute("href").ShouldBe("#main-content");
        cut.Find("main#main-content.govuk-main-wrapper").TextContent.ShouldContain("Page content");
        cut.Find(".govuk-service-navigation__service-name a").TextContent.Trim().ShouldBe("FGC Returns");
        cut.Find(".govuk-phase-banner__content__tag").TextContent.Trim().ShouldBe("Beta");
        cut.Find(".govuk-phase-banner a").GetAttribute("href").ShouldBe("mailto:fgc-returns@foundations.org.uk");
        cut.Find(".govuk-footer__licence-description").TextContent.ShouldContain("Open Government Licence v3.0");
        cut.FindAll("form[action='/account/sign-out']").ShouldBeEmpty();
    }

    [Fact]
    public void LaDataLead_SeesReturnsAndCompare_AndSignOutForm()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("lead@council.gov.uk");
        auth.SetRoles("LaDataLead");

        var cut = RenderLayout();

        NavTexts(cut).ShouldBe(["Your returns", "Compare", "Your team", "API clients"]);
        cut.Find(".app-service-navigation__user").TextContent.ShouldBe("lead@council.gov.uk");
        var form = cut.Find("form[action='/account/sign-out']");
        form.GetAttribute("method").ShouldBe("post");
        form.QuerySelector("button[type=submit]")!.TextContent.Trim().ShouldBe("Sign out");
    }

    [Fact]
    public void Administrator_SeesNationalAndAdminLinks()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@foundations.org.uk");
        auth.SetRoles("Administrator");

        var cut = RenderLayout();

        NavTexts(cut).ShouldBe(["Collections", "Definitions", "Benchmarks", "Users", "API clients", "Jobs"]);
    }

    [Fact]
    public void Analyst_CurrentSection_IsMarkedActive()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("analyst@foundations.org.uk");
        auth.SetRoles("Analyst");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/collections/2025");

        var cut = RenderLayout();

        NavTexts(cut).ShouldBe(["Collections", "Definitions", "Benchmarks"]);
        var active = cut.Find(".govuk-service-navigation__item--active a");
        active.GetAttribute("href").ShouldBe("/collections");
        active.GetAttribute("aria-current").ShouldBe("true");
        active.QuerySelector("strong.govuk-service-navigation__active-fallback").ShouldNotBeNull();
    }
}
