namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>What an item name in an expression points at.</summary>
internal sealed record ItemTarget(Question Question, string? Row, string? Column)
{
    public bool IsWholeGrid => Question.Grid is not null && Row is null;

    public bool IsNumber => Question.IsNumeric || (Question.Grid is not null && Row is not null);

    /// <summary>The value keys whose sum is this target's number.</summary>
    public IEnumerable<string> NumberKeys =>
        Question.Grid is null ? [Question.Key]
        : Row is null ? Question.Grid.CellKeys(Question.Key)
        : Column is null ? Question.Grid.RowCellKeys(Question.Key, Row)
        : [Question.Key + "." + Row + "." + Column];

    public static ItemTarget? Resolve(string name, Func<string, Question?> find, out string? error)
    {
        error = null;
        var whole = find(name);
        if (whole is not null)
        {
            return new ItemTarget(whole, null, null);
        }

        var parts = name.Split('.');
        var question = find(parts[0]);
        if (question is null)
        {
            error = $"refers to '{parts[0]}', which is not a question in this survey.";
            return null;
        }

        if (parts.Length == 1)
        {
            return new ItemTarget(question, null, null);
        }

        if (question.Grid is null)
        {
            error = $"'{parts[0]}' is not a grid, so '{name}' cannot be used.";
            return null;
        }

        if (parts.Length > 3)
        {
            error = $"'{name}' has too many parts: use {parts[0]}.row or {parts[0]}.row.column.";
            return null;
        }

        if (!question.Grid.Rows.Any(r => r.Value == parts[1]))
        {
            error = $"'{parts[1]}' is not a row of the grid '{parts[0]}'. Its rows are: {string.Join(", ", question.Grid.Rows.Select(r => r.Value))}.";
            return null;
        }

        if (parts.Length == 3 && !question.Grid.Columns.Any(c => c.Value == parts[2]))
        {
            error = question.Grid.Columns.Count == 0
                ? $"The grid '{parts[0]}' has no columns, so use {parts[0]}.{parts[1]}."
                : $"'{parts[2]}' is not a column of the grid '{parts[0]}'. Its columns are: {string.Join(", ", question.Grid.Columns.Select(c => c.Value))}.";
            return null;
        }

        return new ItemTarget(question, parts[1], parts.Length == 3 ? parts[2] : null);
    }
}

internal enum ExprType { Number, Boolean, String, Choice, MultipleChoice, Text, Grid, Unknown }

internal sealed class ExpressionTypeChecker(Func<string, Question?> find)
{
    private readonly List<ExpressionError> _errors = [];

    public List<ExpressionError> CheckCondition(ExprNode root)
    {
        var (type, _) = Check(root);
        if (type is not ExprType.Boolean and not ExprType.Unknown)
        {
            Error(root.Offset, "A rule must be a condition that is true or false, like families_accepted <= families_offered.");
        }

        return _errors;
    }

    private void Error(int offset, string message) => _errors.Add(new ExpressionError(offset, message));

    private (ExprType Type, Question? Question) Check(ExprNode node)
    {
        switch (node)
        {
            case NumberNode:
                return (ExprType.Number, null);
            case StringNode:
                return (ExprType.String, null);
            case ItemNode item:
                return CheckItem(item);
            case UnaryNode { Operator: "-" } unary:
                Expect(unary.Operand, ExprType.Number, "'-' must be followed by a number");
                return (ExprType.Number, null);
            case UnaryNode unary:
                Expect(unary.Operand, ExprType.Boolean, "'not' must be followed by a condition");
                return (ExprType.Boolean, null);
            case BinaryNode { Operator: "and" or "or" } logic:
                Expect(logic.Left, ExprType.Boolean, $"Both sides of '{logic.Operator}' must be conditions");
                Expect(logic.Right, ExprType.Boolean, $"Both sides of '{logic.Operator}' must be conditions");
                return (ExprType.Boolean, null);
            case BinaryNode { Operator: "+" or "-" or "*" or "/" } arithmetic:
                Expect(arithmetic.Left, ExprType.Number, $"Both sides of '{arithmetic.Operator}' must be numbers");
                Expect(arithmetic.Right, ExprType.Number, $"Both sides of '{arithmetic.Operator}' must be numbers");
                return (ExprType.Number, null);
            case BinaryNode comparison:
                CheckComparison(comparison);
                return (ExprType.Boolean, null);
            case CallNode call:
                return CheckCall(call);
            default:
                return (ExprType.Unknown, null);
        }
    }

    private (ExprType, Question?) CheckItem(ItemNode item)
    {
        var target = ItemTarget.Resolve(item.Name, find, out var error);
        if (target is null)
        {
            Error(item.Offset, error!);
            return (ExprType.Unknown, null);
        }

        if (target.IsWholeGrid)
        {
            return (ExprType.Grid, target.Question);
        }

        if (target.IsNumber)
        {
            return (ExprType.Number, target.Question);
        }

        return target.Question.Type switch
        {
            QuestionType.SingleChoice or QuestionType.YesNo => (ExprType.Choice, target.Question),
            QuestionType.MultipleChoice => (ExprType.MultipleChoice, target.Question),
            _ => (ExprType.Text, target.Question),
        };
    }

    private void Expect(ExprNode node, ExprType expected, string context)
    {
        var (type, question) = Check(node);
        if (type == expected || type == ExprType.Unknown)
        {
            return;
        }

        Error(node.Offset, context + ", but " + Describe(type, question, node) + ".");
    }

    private static string Describe(ExprType type, Question? question, ExprNode node) => type switch
    {
        ExprType.Number => "this is a number",
        ExprType.Boolean => "this is a condition",
        ExprType.String => $"'{((StringNode)node).Value}' is text",
        ExprType.Grid => $"'{question!.Key}' is a grid: use sum({question.Key}) for its total",
        ExprType.Choice => $"'{question!.Key}' is a choice question: compare it with one of its options, like {question.Key} = '{question.EffectiveOptions.FirstOrDefault()?.Value}'",
        ExprType.MultipleChoice => $"'{question!.Key}' is a multiple choice question: use has({question.Key}, 'option')",
        ExprType.Text => $"'{question!.Key}' is a text question: only answered() and not_recorded() can use it",
        _ => "its type is not known",
    };

    private void CheckComparison(BinaryNode comparison)
    {
        var (leftType, leftQuestion) = Check(comparison.Left);
        var (rightType, rightQuestion) = Check(comparison.Right);
        if (leftType == ExprType.Unknown || rightType == ExprType.Unknown)
        {
            return;
        }

        if (leftType == ExprType.Number && rightType == ExprType.Number)
        {
            return;
        }

        var isEquality = comparison.Operator is "=" or "!=";
        if (leftType == ExprType.Choice && rightType == ExprType.String)
        {
            CheckOption(leftQuestion!, (StringNode)comparison.Right, comparison, isEquality);
            return;
        }

        if (leftType == ExprType.String && rightType == ExprType.Choice)
        {
            CheckOption(rightQuestion!, (StringNode)comparison.Left, comparison, isEquality);
            return;
        }

        if (leftType == ExprType.Number)
        {
            Error(comparison.Right.Offset, $"'{comparison.Operator}' compares two numbers, but {Describe(rightType, rightQuestion, comparison.Right)}.");
        }
        else
        {
            Error(comparison.Left.Offset, $"'{comparison.Operator}' compares two numbers, or a choice question with one of its options, but {Describe(leftType, leftQuestion, comparison.Left)}.");
        }
    }

    private void CheckOption(Question question, StringNode literal, BinaryNode comparison, bool isEquality)
    {
        if (!isEquality)
        {
            Error(comparison.Offset, $"A choice question can only be compared with '=' or '!=', not '{comparison.Operator}'.");
        }

        if (!question.EffectiveOptions.Any(o => o.Value == literal.Value))
        {
            Error(literal.Offset, $"'{literal.Value}' is not an option of '{question.Key}'. Its options are: {string.Join(", ", question.EffectiveOptions.Select(o => "'" + o.Value + "'"))}.");
        }
    }

    private (ExprType, Question?) CheckCall(CallNode call)
    {
        var args = call.Arguments;
        switch (call.Name)
        {
            case "sum":
                RequireAtLeast(call, 1);
                foreach (var arg in args)
                {
                    var (type, question) = Check(arg);
                    if (type is not ExprType.Number and not ExprType.Grid and not ExprType.Unknown)
                    {
                        Error(arg.Offset, "sum() adds up numbers and grids, but " + Describe(type, question, arg) + ".");
                    }
                }

                return (ExprType.Number, null);
            case "abs":
                RequireExactly(call, 1);
                foreach (var arg in args)
                {
                    Expect(arg, ExprType.Number, "abs() needs a number");
                }

                return (ExprType.Number, null);
            case "min" or "max":
                RequireAtLeast(call, 1);
                foreach (var arg in args)
                {
                    Expect(arg, ExprType.Number, $"{call.Name}() needs numbers");
                }

                return (ExprType.Number, null);
            case "if":
                RequireExactly(call, 3);
                if (args.Count != 3)
                {
                    return (ExprType.Unknown, null);
                }

                Expect(args[0], ExprType.Boolean, "The first part of if() must be a condition");
                var (thenType, thenQuestion) = Check(args[1]);
                var (elseType, elseQuestion) = Check(args[2]);
                if (thenType is ExprType.Unknown || elseType is ExprType.Unknown)
                {
                    return (ExprType.Unknown, null);
                }

                if (thenType is not ExprType.Number and not ExprType.Boolean)
                {
                    Error(args[1].Offset, "if() must give a number or a condition, but " + Describe(thenType, thenQuestion, args[1]) + ".");
                    return (ExprType.Unknown, null);
                }

                if (thenType != elseType)
                {
                    Error(args[2].Offset, "Both results of if() must be the same kind (two numbers or two conditions), but " + Describe(elseType, elseQuestion, args[2]) + ".");
                }

                return (thenType, null);
            case "not_recorded" or "answered":
                RequireExactly(call, 1);
                if (args.Count == 1)
                {
                    RequireItem(call, args[0]);
                }

                return (ExprType.Boolean, null);
            case "previous":
                RequireExactly(call, 1);
                if (args.Count == 1 && RequireItem(call, args[0]) is { } previous && !previous.IsNumber)
                {
                    Error(args[0].Offset, $"previous() works on numbers only, and '{((ItemNode)args[0]).Name}' is not a number.");
                }

                return (ExprType.Number, null);
            case "has":
                RequireExactly(call, 2);
                if (args.Count == 2 && RequireItem(call, args[0]) is { } multi)
                {
                    if (multi.Question.Type != QuestionType.MultipleChoice || multi.Row is not null)
                    {
                        Error(args[0].Offset, $"has() works on multiple choice questions only, and '{multi.Question.Key}' is not one.");
                    }
                    else if (args[1] is not StringNode option)
                    {
                        Error(args[1].Offset, "The second part of has() must be an option in quotes, like 'spreadsheet'.");
                    }
                    else if (!multi.Question.Options.Any(o => o.Value == option.Value))
                    {
                        Error(option.Offset, $"'{option.Value}' is not an option of '{multi.Question.Key}'. Its options are: {string.Join(", ", multi.Question.Options.Select(o => "'" + o.Value + "'"))}.");
                    }
                }

                return (ExprType.Boolean, null);
            default:
                Error(call.Offset, $"'{call.Name}' is not a function.");
                return (ExprType.Unknown, null);
        }
    }

    private ItemTarget? RequireItem(CallNode call, ExprNode arg)
    {
        if (arg is not ItemNode item)
        {
            Error(arg.Offset, $"{call.Name}() needs a question key, like {call.Name}(families_offered).");
            return null;
        }

        var target = ItemTarget.Resolve(item.Name, find, out var error);
        if (target is null)
        {
            Error(item.Offset, error!);
        }

        return target;
    }

    private void RequireExactly(CallNode call, int count)
    {
        if (call.Arguments.Count != count)
        {
            Error(call.Offset, $"{call.Name}() needs exactly {count} {(count == 1 ? "value" : "values")}, but has {call.Arguments.Count}.");
        }
    }

    private void RequireAtLeast(CallNode call, int count)
    {
        if (call.Arguments.Count < count)
        {
            Error(call.Offset, $"{call.Name}() needs at least {count} value.");
        }
    }
}
