using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FgcReturns.Benchmarks;

/// <summary>
/// A Blazor Server client without a browser: one SignalR connection to <c>/_blazor</c> speaking "blazorpack", as
/// blazor.web.js does. It starts a circuit for a prerendered page, acknowledges every render batch, answers JS interop
/// calls with success, reads the render batches' reference frames for the page's text inputs (their <c>onchange</c>
/// event handler ids) and the save status, and types into an input by dispatching a change event. A few kilobytes per
/// circuit instead of a renderer process, so hundreds of circuits fit on one machine.
/// </summary>
public sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private readonly HubConnection hub;
    private readonly Lock gate = new();

    // Text inputs with a change handler, by element id, in the order they were rendered.
    private readonly Dictionary<string, ulong> changeHandlers = new(StringComparer.Ordinal);
    private readonly List<string> inputOrder = [];
    private readonly TaskCompletionSource<long> interop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstInteractiveRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int>? saveWaiter;
    private int saveWaiterAbove;
    private long nextCallId;

    private BlazorCircuitClient(HubConnection hub) => this.hub = hub;

    /// <summary>Why the circuit is gone (the server's <c>JS.Error</c>, a closed connection, a failed event), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The page's <c>data-save-count</c>: how many saves the page has reported.</summary>
    public int SaveCount { get; private set; }

    /// <summary>The last save status line the page rendered ("Saved.", "Not saved: …").</summary>
    public string SaveStatus { get; private set; } = "";

    public int RenderBatches { get; private set; }

    /// <summary>Ids of the page's text inputs that save on change, in page order.</summary>
    public IReadOnlyList<string> Inputs
    {
        get
        {
            lock (gate)
            {
                return [.. inputOrder.Where(changeHandlers.ContainsKey)];
            }
        }
    }

    /// <summary>Signs in through the sign-in form (antiforgery token and all); returns the cookies of the session.</summary>
    public static async Task<CookieContainer> SignInAsync(Uri baseAddress, string email, string password, CancellationToken cancellationToken = default)
    {
        var cookies = new CookieContainer();
        using var http = NewHttpClient(baseAddress, cookies);
        var form = await http.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative), cancellationToken);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri("/account/sign-in", UriKind.Relative), content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found && response.StatusCode != HttpStatusCode.SeeOther)
        {
            throw new InvalidOperationException($"Sign-in for {email} answered {(int)response.StatusCode}, not a redirect.");
        }

        return cookies;
    }

    /// <summary>
    /// Fetches the prerendered page, starts a circuit for its server components and waits for the first interactive
    /// render (the page's inputs and their change handlers).
    /// </summary>
    public static async Task<BlazorCircuitClient> OpenAsync(Uri baseAddress, CookieContainer cookies, string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var pageUri = new Uri(baseAddress, path);
        string html;
        using (var http = NewHttpClient(baseAddress, cookies))
        {
            html = await http.GetStringAsync(pageUri, timeoutSource.Token);
        }

        // Start markers carry the component's type; end markers only its prerenderId.
        var markers = ComponentMarker().Matches(html).Select(m => JsonDocument.Parse(m.Groups["json"].Value).RootElement)
            .Where(m => m.TryGetProperty("type", out var type) && type.GetString() == "server")
            .OrderBy(m => m.GetProperty("sequence").GetInt32())
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server component.");
        }

        var state = ComponentState().Match(html) is { Success: true } s ? s.Groups["state"].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "_blazor"), HttpTransportType.WebSockets, o => o.Cookies = cookies);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackHubProtocol>();
        var client = new BlazorCircuitClient(builder.Build());
        try
        {
            client.Listen();
            await client.hub.StartAsync(timeoutSource.Token);
            var secret = await client.hub.InvokeAsync<string?>("StartCircuit", baseAddress.ToString(), pageUri.ToString(), "[]", state, timeoutSource.Token);
            if (string.IsNullOrEmpty(secret))
            {
                throw new InvalidOperationException("StartCircuit refused: " + client.Error);
            }

            // As blazor.web.js: once the server has attached the renderer's interop, add the prerendered components.
            await client.interop.Task.WaitAsync(timeoutSource.Token);
            var operations = JsonSerializer.Serialize(new
            {
                batchId = 1,
                operations = markers.Select((marker, i) => new { type = "add", ssrComponentId = i + 1, marker }),
            });
            await client.hub.SendAsync("UpdateRootComponents", operations, state, timeoutSource.Token);
            await client.firstInteractiveRender.Task.WaitAsync(timeoutSource.Token);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Types <paramref name="value"/> into the input and leaves it (a change event), then waits for the render batch in
    /// which the page reports the save (its save count goes up). Returns the round trip; throws on timeout or death.
    /// </summary>
    public async Task<TimeSpan> ChangeAsync(string inputId, string value, TimeSpan timeout)
    {
        ulong handler;
        Task<int> saved;
        lock (gate)
        {
            if (Error is not null)
            {
                throw new CircuitDiedException(Error);
            }

            if (!changeHandlers.TryGetValue(inputId, out handler))
            {
                throw new InvalidOperationException($"No change handler for #{inputId}.");
            }

            saveWaiter = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            saveWaiterAbove = SaveCount;
            saved = saveWaiter.Task;
        }

        var callId = Interlocked.Increment(ref nextCallId).ToString(CultureInfo.InvariantCulture);
        var args = JsonSerializer.Serialize(new object[]
        {
            new { eventHandlerId = handler, eventName = "change", eventFieldInfo = (object?)null },
            new { value },
        });
        var watch = Stopwatch.StartNew();
        await hub.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", interop.Task.Result, args);
        try
        {
            await saved.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Error ??= $"no render showing the save within {timeout.TotalSeconds:0} s";
            throw new CircuitDiedException(Error);
        }

        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync() => await hub.DisposeAsync();

    private static HttpClient NewHttpClient(Uri baseAddress, CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress, DefaultRequestHeaders = { Accept = { new MediaTypeWithQualityHeaderValue("text/html") } } };

    private void Listen()
    {
        hub.On("JS.RenderBatch", [typeof(long), typeof(byte[])], async args =>
        {
            var batchId = (long)args[0]!;
            string? failed = null;
            try
            {
                Read((byte[])args[1]!);
            }
            catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
            {
                failed = "The load client could not read a render batch: " + ex.Message;
                Die(failed);
            }

            await hub.SendAsync("OnRenderCompleted", batchId, failed);
        });

        // (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType); a handle of 0 wants no answer.
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            var handle = (long)args[0]!;
            Trace($"js {handle} {args[1]} {args[2]}");
            if ((string?)args[1] == "Blazor._internal.attachWebRendererInterop")
            {
                using var json = JsonDocument.Parse((string)args[2]!);
                interop.TrySetResult(json.RootElement[1].GetProperty("__dotNetObject").GetInt64());
            }

            if (handle != 0)
            {
                await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, string.Create(CultureInfo.InvariantCulture, $"[{handle},true,null]"));
            }
        });
        hub.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], args =>
        {
            if (!(bool)args[1]!)
            {
                Die("An event failed: " + args[2]);
            }

            return Task.CompletedTask;
        });
        hub.On<string>("JS.Error", Die);
        hub.Closed += ex =>
        {
            Die("Connection closed" + (ex is null ? "." : ": " + ex.Message));
            return Task.CompletedTask;
        };
    }

    private void Die(string why)
    {
        lock (gate)
        {
            Error ??= why;
            saveWaiter?.TrySetException(new CircuitDiedException(why));
        }

        interop.TrySetException(new CircuitDiedException(why));
        firstInteractiveRender.TrySetException(new CircuitDiedException(why));
    }

    /// <summary>
    /// Reads what this client needs from a render batch (RenderBatchWriter's layout: updated components, reference
    /// frames of 20 bytes, disposed components, disposed event handlers, string table; their offsets in the last 20 bytes).
    /// </summary>
    private void Read(byte[] batch)
    {
        var data = batch;
        var framesAt = Int(data, data.Length - 16);
        var disposedHandlersAt = Int(data, data.Length - 8);
        var stringsAt = Int(data, data.Length - 4);
        var strings = new string[(data.Length - 20 - stringsAt) / 4];
        for (var i = 0; i < strings.Length; i++)
        {
            var at = Int(data, stringsAt + (i * 4));
            var length = ReadLeb128(data, ref at);
            strings[i] = Encoding.UTF8.GetString(data, at, length);
        }

        string? Str(int at) => StrOf(data, strings, at);

        lock (gate)
        {
            RenderBatches++;
            var disposedCount = Int(data, disposedHandlersAt);
            for (var i = 0; i < disposedCount; i++)
            {
                var id = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(disposedHandlersAt + 4 + (i * 8)));
                foreach (var key in changeHandlers.Where(h => h.Value == id).Select(h => h.Key).ToList())
                {
                    changeHandlers.Remove(key);
                }
            }

            var frameCount = Int(data, framesAt);
            var interactive = false;
            for (var f = 0; f < frameCount; f++)
            {
                var at = framesAt + 4 + (f * 20);
                switch (Int(data, at))
                {
                    case 1 when Str(at + 8) == "input":
                        ReadInput(f);
                        break;
                    case 8 when Str(at + 4) is { } markup && markup.Contains("data-testid=\"interactive\"", StringComparison.Ordinal):
                        // The page's static marker that it now runs interactively (static elements come as markup).
                        interactive = true;
                        break;
                    case 2 when Str(at + 4) is { } text && (text.StartsWith("Saved", StringComparison.Ordinal) || text.StartsWith("Not saved", StringComparison.Ordinal)):
                        SaveStatus = text;
                        break;
                    case 3 when Str(at + 4) == "data-save-count":
                        SaveCount = int.Parse(Str(at + 8) ?? "0", CultureInfo.InvariantCulture);
                        break;
                }
            }

            if (saveWaiter is not null && SaveCount > saveWaiterAbove)
            {
                saveWaiter.TrySetResult(SaveCount);
                saveWaiter = null;
            }

            Trace($"batch {RenderBatches}: {frameCount} frames, interactive {interactive}, inputs {string.Join(",", changeHandlers.Keys)}, save count {SaveCount}");
            if (interactive && changeHandlers.Count > 0)
            {
                firstInteractiveRender.TrySetResult();
            }
        }

        // An element's attributes follow it directly in the reference frames.
        List<(string? Name, string? Value, ulong Handler)> Attributes(int element)
        {
            var frames = new List<(string?, string?, ulong)>();
            for (var f = element + 1; f < Int(batch, framesAt); f++)
            {
                var at = framesAt + 4 + (f * 20);
                if (Int(batch, at) != 3)
                {
                    break;
                }

                frames.Add((StrOf(batch, strings, at + 4), StrOf(batch, strings, at + 8), BinaryPrimitives.ReadUInt64LittleEndian(batch.AsSpan(at + 12, 8))));
            }

            return frames;
        }

        void ReadInput(int element)
        {
            var attributes = Attributes(element);
            var id = attributes.FirstOrDefault(a => a.Name == "id").Value;
            var type = attributes.FirstOrDefault(a => a.Name == "type").Value;
            var change = attributes.FirstOrDefault(a => a.Name == "onchange").Handler;
            if (id is null || change == 0 || type is "checkbox" or "radio" or "hidden")
            {
                return;
            }

            if (!inputOrder.Contains(id))
            {
                inputOrder.Add(id);
            }

            changeHandlers[id] = change;
        }
    }

    private static void Trace(string message)
    {
        if (Environment.GetEnvironmentVariable("FGC_CIRCUIT_TRACE") == "1")
        {
            Console.WriteLine("[circuit] " + message);
        }
    }

    private static string? StrOf(byte[] data, string[] strings, int at) => Int(data, at) is var index and >= 0 ? strings[index] : null;

    private static int Int(byte[] data, int at) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at, 4));

    private static int ReadLeb128(byte[] data, ref int at)
    {
        var result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[at++];
            result |= (b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
    }

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]*)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""<!--Blazor:(?<json>\{.*?\})-->""", RegexOptions.Singleline)]
    private static partial Regex ComponentMarker();

    [GeneratedRegex("""<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->""")]
    private static partial Regex ComponentState();

    /// <summary>Blazor's hub speaks MessagePack under the name "blazorpack".</summary>
    private sealed class BlazorPackHubProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol inner = new();

        public string Name => "blazorpack";

        public int Version => inner.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    }
}

/// <summary>The circuit ended (server error, closed connection) or stopped answering.</summary>
public sealed class CircuitDiedException(string message) : Exception(message);
