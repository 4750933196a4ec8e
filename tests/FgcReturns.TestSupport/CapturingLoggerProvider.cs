using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FgcReturns.TestSupport;

/// <summary>
/// Keeps every log line a host writes, as an operator's log store would see it: category, message, every structured
/// property (even one the message template leaves out), the exception and the scopes around it.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>
    /// Whether <paramref name="line"/> holds <paramref name="value"/> as a whole value: not run on from letters or
    /// digits either side. A short typed number such as 97531 turns up by chance inside random trace, span and
    /// connection ids (hex and base64 runs); there it reveals nothing, while a logged parameter, property or
    /// message always sets the value apart (<c>='97531'</c>, <c>=97531 |</c>, <c>"97531"</c>).
    /// </summary>
    public static bool Reveals(string line, string value)
    {
        for (var at = line.IndexOf(value, StringComparison.Ordinal); at >= 0; at = line.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var end = at + value.Length;
            if ((at == 0 || !char.IsLetterOrDigit(line[at - 1])) && (end == line.Length || !char.IsLetterOrDigit(line[end])))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}");
            Append(line, state);
            provider.scopes.ForEachScope((scope, text) => Append(text, scope), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            provider.Lines.Enqueue(line.ToString());
        }

        private static void Append(StringBuilder line, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    line.Append(" | ").Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
            else if (state is not null)
            {
                line.Append(" | ").Append(state);
            }
        }
    }
}
