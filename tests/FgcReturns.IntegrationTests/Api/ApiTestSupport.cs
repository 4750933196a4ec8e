using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FgcReturns.Core;
using FgcReturns.Core.ApiClients;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.IntegrationTests.Api;

/// <summary>Creates API clients as a data lead would, and calls the API as an LA's system would.</summary>
public static class ApiTestSupport
{
    public const string MedwayLead = TestData.Users.MedwayLead;
    public const string LeicesterLead = TestData.Users.LeicesterLead;

    public static async Task<(ApiClient Client, string Secret)> CreateApiClientAsync(this FgcWebFactory factory, string leadEmail, string name = "Case system")
    {
        var lead = await factory.PrincipalAsync(leadEmail);
        var outcome = await factory.WithServiceAsync<ApiClientService, Outcome<NewApiClient>>(s => s.CreateAsync(lead, null, name + " " + Guid.NewGuid().ToString("N")[..6], ApiClientService.DefaultExpiryMonths));
        outcome.Problems.ShouldBeEmpty();
        return (outcome.Value!.Client, outcome.Value.Secret);
    }

    public static HttpClient ApiClient(this FgcWebFactory factory, string secret)
    {
        var http = factory.CreateBrowserlessClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return http;
    }

    public static async Task<HttpClient> ApiClientForAsync(this FgcWebFactory factory, string leadEmail) =>
        factory.ApiClient((await factory.CreateApiClientAsync(leadEmail)).Secret);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient http, string url, string json, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(url, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string url, string json) =>
        http.PostAsync(new Uri(url, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public static async Task<(JsonNode Body, string ETag)> GetReturnAsync(this HttpClient http, int returnId)
    {
        var response = await http.GetAsync(new Uri($"/api/v1/returns/{returnId}", UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync(), response.Headers.ETag!.ToString());
    }

    /// <summary>Stored text values as the API's JSON: numbers for numeric items, arrays for several choices, null for not recorded.</summary>
    public static string ToApiJson(this FgcWebFactory factory, IReadOnlyDictionary<string, string?> values, string version = "1.0")
    {
        var definition = factory.Services.GetRequiredService<SurveyDefinitionCatalog>().Get("fgc-annual", version)!;
        var body = new JsonObject();
        foreach (var (key, value) in values)
        {
            var question = definition.QuestionForValueKey(key)!;
            body[key] = value is null ? null
                : question.IsNumeric || question.Grid is not null ? JsonValue.Create(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture))
                : question.Type == QuestionType.MultipleChoice ? new JsonArray(value.Split(',').Select(v => (JsonNode)JsonValue.Create(v)!).ToArray())
                : JsonValue.Create(value);
        }

        return body.ToJsonString();
    }

    public static IReadOnlyList<(string Type, string Pointer)> ProblemErrors(this JsonNode problem) =>
        problem["errors"]!.AsArray().Select(e => (e!["type"]!.GetValue<string>().Split('#')[1], e["pointer"]!.GetValue<string>())).ToList();

    public static string ProblemType(this JsonNode problem) => problem["type"]!.GetValue<string>().Split('#')[1];


}
