
namespace FgcReturns.Core.SurveyDefinitions;

public enum ValueKind { Skip, Number, Boolean, Text }

/// <summary>The result of evaluating an expression. <see cref="Skip"/> means it cannot be judged.</summary>
public readonly record struct ExpressionValue(ValueKind Kind, decimal Number, bool Boolean, string? Text)
{
    public static readonly ExpressionValue Skip = new(ValueKind.Skip, 0m, false, null);

    public static ExpressionValue Of(decimal number) => new(ValueKind.Number, number, false, null);

    public static ExpressionValue Of(bool value) => new(ValueKind.Boolean, 0m, value, null);

    public static ExpressionValue Of(string text) => new(ValueKind.Text, 0m, false, text);

    public bool IsSkip => Kind == ValueKind.Skip;
}

/// <summary>The values an expression is evaluated against.</summary>
public sealed class EvaluationContext(
    SurveyDefinition definition,
    IReadOnlyDictionary<string, string?> values,
    IReadOnlyDictionary<string, string?>? previous = null,
    NotRecordedHandling whenNotRecorded = NotRecordedHandling.Skip)
{
    public SurveyDefinition Definition { get; } = definition;
    public IReadOnlyDictionary<string, string?> Values { get; } = values;

    /// <summary>The previous accepted return, already translated to this definition's keys; null when there is none.</summary>
    public IReadOnlyDictionary<string, string?>? Previous { get; } = previous;
    public NotRecordedHandling WhenNotRecorded { get; } = whenNotRecorded;
}

internal sealed class ExpressionEvaluator(EvaluationContext context)
{
    private bool EvaluateMissing => context.WhenNotRecorded == NotRecordedHandling.Evaluate;

    public ExpressionValue Evaluate(ExprNode node)
    {
        try
        {
            return Eval(node);
        }
        catch (OverflowException)
        {
            return ExpressionValue.Skip;
        }
    }

    private ExpressionValue Eval(ExprNode node)
    {
        switch (node)
        {
            case NumberNode number:
                return ExpressionValue.Of(number.Value);
            case StringNode text:
                return ExpressionValue.Of(text.Value);
            case ItemNode item:
                return ReadItem(item.Name, context.Values, EvaluateMissing);
            case UnaryNode { Operator: "-" } negate:
                var operand = Eval(negate.Operand);
                return operand.Kind == ValueKind.Number ? ExpressionValue.Of(-operand.Number) : ExpressionValue.Skip;
            case UnaryNode not:
                var inner = Eval(not.Operand);
                return inner.Kind == ValueKind.Boolean ? ExpressionValue.Of(!inner.Boolean) : ExpressionValue.Skip;
            case BinaryNode binary:
                return EvalBinary(binary);
            case CallNode call:
                return EvalCall(call);
            default:
                return ExpressionValue.Skip;
        }
    }

    private ExpressionValue EvalBinary(BinaryNode binary)
    {
        var left = Eval(binary.Left);
        var right = Eval(binary.Right);
        switch (binary.Operator)
        {
            case "and":
                // Three-valued: false wins over skip; true and skip is skip.
                if (left is { Kind: ValueKind.Boolean, Boolean: false } || right is { Kind: ValueKind.Boolean, Boolean: false })
                {
                    return ExpressionValue.Of(false);
                }

                return left.Kind == ValueKind.Boolean && right.Kind == ValueKind.Boolean ? ExpressionValue.Of(true) : ExpressionValue.Skip;
            case "or":
                if (left is { Kind: ValueKind.Boolean, Boolean: true } || right is { Kind: ValueKind.Boolean, Boolean: true })
                {
                    return ExpressionValue.Of(true);
                }

                return left.Kind == ValueKind.Boolean && right.Kind == ValueKind.Boolean ? ExpressionValue.Of(false) : ExpressionValue.Skip;
        }

        if (left.IsSkip || right.IsSkip)
        {
            return ExpressionValue.Skip;
        }

        if (left.Kind == ValueKind.Number && right.Kind == ValueKind.Number)
        {
            var a = left.Number;
            var b = right.Number;
            return binary.Operator switch
            {
                "+" => ExpressionValue.Of(a + b),
                "-" => ExpressionValue.Of(a - b),
                "*" => ExpressionValue.Of(a * b),
                "/" => b == 0m ? ExpressionValue.Skip : ExpressionValue.Of(a / b),
                "=" => ExpressionValue.Of(a == b),
                "!=" => ExpressionValue.Of(a != b),
                "<" => ExpressionValue.Of(a < b),
                "<=" => ExpressionValue.Of(a <= b),
                ">" => ExpressionValue.Of(a > b),
                ">=" => ExpressionValue.Of(a >= b),
                _ => ExpressionValue.Skip,
            };
        }

        if (left.Kind == ValueKind.Text && right.Kind == ValueKind.Text)
        {
            return binary.Operator switch
            {
                "=" => ExpressionValue.Of(string.Equals(left.Text, right.Text, StringComparison.Ordinal)),
                "!=" => ExpressionValue.Of(!string.Equals(left.Text, right.Text, StringComparison.Ordinal)),
                _ => ExpressionValue.Skip,
            };
        }

        return ExpressionValue.Skip;
    }

    private ExpressionValue EvalCall(CallNode call)
    {
        var args = call.Arguments;
        switch (call.Name)
        {
            case "sum":
                {
                    var total = 0m;
                    foreach (var arg in args)
                    {
                        var value = Eval(arg);
                        if (value.Kind != ValueKind.Number)
                        {
                            return ExpressionValue.Skip;
                        }

                        total += value.Number;
                    }

                    return ExpressionValue.Of(total);
                }

            case "abs":
                {
                    var value = args.Count == 1 ? Eval(args[0]) : ExpressionValue.Skip;
                    return value.Kind == ValueKind.Number ? ExpressionValue.Of(Math.Abs(value.Number)) : ExpressionValue.Skip;
                }

            case "min" or "max":
                {
                    decimal? result = null;
                    foreach (var arg in args)
                    {
                        var value = Eval(arg);
                        if (value.Kind != ValueKind.Number)
                        {
                            return ExpressionValue.Skip;
                        }

                        result = result is null ? value.Number
                            : call.Name == "min" ? Math.Min(result.Value, value.Number)
                            : Math.Max(result.Value, value.Number);
                    }

                    return result is null ? ExpressionValue.Skip : ExpressionValue.Of(result.Value);
                }

            case "if":
                {
                    if (args.Count != 3)
                    {
                        return ExpressionValue.Skip;
                    }

                    var condition = Eval(args[0]);
                    return condition.Kind != ValueKind.Boolean ? ExpressionValue.Skip : Eval(condition.Boolean ? args[1] : args[2]);
                }

            case "not_recorded" or "answered":
                {
                    if (args is not [ItemNode item] || Resolve(item.Name) is not { } target)
                    {
                        return ExpressionValue.Skip;
                    }

                    var states = target.NumberKeysOrKey().Select(k => AnswerParser.Read(target.Question, context.Values, k).State).ToList();
                    return call.Name == "not_recorded"
                        ? ExpressionValue.Of(states.All(s => s == AnswerState.NotRecorded))
                        : ExpressionValue.Of(states.All(s => s == AnswerState.Value));
                }

            case "previous":
                {
                    if (context.Previous is null || args is not [ItemNode item])
                    {
                        return ExpressionValue.Skip;
                    }

                    return ReadItem(item.Name, context.Previous, evaluateMissing: false);
                }

            case "has":
                {
                    if (args is not [ItemNode item, StringNode option] || Resolve(item.Name) is not { } target)
                    {
                        return ExpressionValue.Skip;
                    }

                    var answer = AnswerParser.Read(target.Question, context.Values, target.Question.Key);
                    return answer.State switch
                    {
                        AnswerState.Value => ExpressionValue.Of(answer.Canonical!.Split(',').Contains(option.Value, StringComparer.Ordinal)),
                        AnswerState.NotRecorded or AnswerState.Unanswered when EvaluateMissing => ExpressionValue.Of(false),
                        _ => ExpressionValue.Skip,
                    };
                }

            default:
                return ExpressionValue.Skip;
        }
    }

    private ItemTarget? Resolve(string name) => ItemTarget.Resolve(name, context.Definition.FindQuestion, out _);

    private ExpressionValue ReadItem(string name, IReadOnlyDictionary<string, string?> values, bool evaluateMissing)
    {
        var target = Resolve(name);
        if (target is null)
        {
            return ExpressionValue.Skip;
        }

        if (target.IsWholeGrid || target.IsNumber)
        {
            var total = 0m;
            foreach (var key in target.NumberKeys)
            {
                var answer = AnswerParser.Read(target.Question, values, key);
                switch (answer.State)
                {
                    case AnswerState.Value:
                        total += answer.Number;
                        break;
                    case AnswerState.NotRecorded or AnswerState.Unanswered when evaluateMissing:
                        break;
                    default:
                        return ExpressionValue.Skip;
                }
            }

            return ExpressionValue.Of(total);
        }

        var choice = AnswerParser.Read(target.Question, values, target.Question.Key);
        return choice.State switch
        {
            AnswerState.Value => ExpressionValue.Of(choice.Canonical!),
            AnswerState.NotRecorded or AnswerState.Unanswered when evaluateMissing => ExpressionValue.Of(""),
            _ => ExpressionValue.Skip,
        };
    }
}

internal static class ItemTargetExtensions
{
    public static IEnumerable<string> NumberKeysOrKey(this ItemTarget target) =>
        target.Question.Grid is not null || target.Question.IsNumeric ? target.NumberKeys : [target.Question.Key];
}
