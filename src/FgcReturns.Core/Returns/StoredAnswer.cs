namespace FgcReturns.Core.Returns;

/// <summary>One stored answer: unanswered (no key), not recorded (key with null) or a text value.</summary>
public readonly record struct StoredAnswer(bool Answered, string? Text)
{
    public static readonly StoredAnswer Unanswered = new(false, null);
    public static readonly StoredAnswer NotRecorded = new(true, null);

    public bool IsNotRecorded => Answered && Text is null;

    public static StoredAnswer Of(string? text) => string.IsNullOrWhiteSpace(text) ? Unanswered : new(true, text.Trim());

    public static StoredAnswer From(IReadOnlyDictionary<string, string?> values, string key) =>
        values.TryGetValue(key, out var v) ? (v is null ? NotRecorded : Of(v)) : Unanswered;

    /// <summary>How the audit log and conflict messages show it.</summary>
    public string Display => !Answered ? "(blank)" : Text ?? "Not recorded";

    public void ApplyTo(IDictionary<string, string?> values, string key)
    {
        if (Answered)
        {
            values[key] = Text;
        }
        else
        {
            values.Remove(key);
        }
    }
}

/// <summary>
/// A change the user made, with the value they started from, so a concurrent change is never overwritten silently.
/// <see cref="KnowinglyReplaces"/> names the colleague whose answer the user chose to replace ("Use my answers instead").
/// </summary>
public sealed record ValueChange(string Key, StoredAnswer Before, StoredAnswer After, ReplacedColleague? KnowinglyReplaces = null);

/// <summary>Whose answer a change knowingly replaces, so they can be told.</summary>
public sealed record ReplacedColleague(string? UserId, string Email);

public enum ChangeSource { Form, Upload }
