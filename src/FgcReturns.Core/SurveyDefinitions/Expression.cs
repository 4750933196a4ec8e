using System.Globalization;
using System.Text;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>
/// A parsed rule expression. See survey-definitions/README.md for the language.
/// Parse with <see cref="Parse"/> or <see cref="TryParse"/>, check it against a survey with
/// <see cref="TypeCheck(Func{string, Question?})"/>, and evaluate it with <see cref="Evaluate"/>.
/// </summary>
public sealed class Expression
{
    internal static readonly string[] FunctionNames =
        ["sum", "abs", "min", "max", "if", "not_recorded", "answered", "previous", "has"];

    private Expression(string text, ExprNode root)
    {
        Text = text;
        Root = root;
        ReferencedKeys = CollectKeys(root);
    }

    public string Text { get; }

    public ExprNode Root { get; }

    /// <summary>Question keys used by the expression (grid cell references give the grid key), in order of first use.</summary>
    public IReadOnlyList<string> ReferencedKeys { get; }

    /// <summary>Parses the text; throws <see cref="ExpressionSyntaxException"/> with the offset of the problem.</summary>
    public static Expression Parse(string text) => new(text, new ExpressionParser(text).ParseAll());

    public static bool TryParse(string text, out Expression? expression, out ExpressionError? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (ExpressionSyntaxException ex)
        {
            expression = null;
            error = new ExpressionError(ex.Offset, ex.Message);
            return false;
        }
    }

    /// <summary>Type-checks against the questions of a survey; returns every problem found.</summary>
    public IReadOnlyList<ExpressionError> TypeCheck(Func<string, Question?> findQuestion) =>
        new ExpressionTypeChecker(findQuestion).CheckCondition(Root);

    public IReadOnlyList<ExpressionError> TypeCheck(SurveyDefinition definition) => TypeCheck(definition.FindQuestion);

    /// <summary>Evaluates the expression; never throws for data problems (they give <see cref="ExpressionValue.Skip"/>).</summary>
    public ExpressionValue Evaluate(EvaluationContext context) => new ExpressionEvaluator(context).Evaluate(Root);

    /// <summary>Evaluates a condition: true passes, false fails, anything that cannot be judged is skipped.</summary>
    public RuleOutcome EvaluateCondition(EvaluationContext context)
    {
        var value = Evaluate(context);
        return value.Kind == ValueKind.Boolean ? (value.Boolean ? RuleOutcome.Passed : RuleOutcome.Failed) : RuleOutcome.Skipped;
    }

    public override string ToString() => Text;

    private static List<string> CollectKeys(ExprNode root)
    {
        var keys = new List<string>();
        void Walk(ExprNode node)
        {
            switch (node)
            {
                case ItemNode item:
                    var dot = item.Name.IndexOf('.', StringComparison.Ordinal);
                    var key = dot > 0 ? item.Name[..dot] : item.Name;
                    if (!keys.Contains(key))
                    {
                        keys.Add(key);
                    }

                    break;
                case UnaryNode unary:
                    Walk(unary.Operand);
                    break;
                case BinaryNode binary:
                    Walk(binary.Left);
                    Walk(binary.Right);
                    break;
                case CallNode call:
                    foreach (var arg in call.Arguments)
                    {
                        Walk(arg);
                    }

                    break;
            }
        }

        Walk(root);
        return keys;
    }
}

/// <summary>A problem in an expression; <see cref="Offset"/> is the 0-based character position in the expression text.</summary>
public sealed record ExpressionError(int Offset, string Message);

public sealed class ExpressionSyntaxException : Exception
{
    public ExpressionSyntaxException(int offset, string message) : base(message) => Offset = offset;

    public ExpressionSyntaxException() { }

    public ExpressionSyntaxException(string message) : base(message) { }

    public ExpressionSyntaxException(string message, Exception innerException) : base(message, innerException) { }

    public int Offset { get; }
}

public enum RuleOutcome { Passed, Failed, Skipped }

public abstract record ExprNode(int Offset);

public sealed record NumberNode(int Offset, decimal Value) : ExprNode(Offset);

public sealed record StringNode(int Offset, string Value) : ExprNode(Offset);

/// <summary>An item reference: a question key, <c>grid.row</c> or <c>grid.row.col</c>.</summary>
public sealed record ItemNode(int Offset, string Name) : ExprNode(Offset);

/// <summary>Unary minus (<c>-</c>) or <c>not</c>.</summary>
public sealed record UnaryNode(int Offset, string Operator, ExprNode Operand) : ExprNode(Offset);

public sealed record BinaryNode(int Offset, string Operator, ExprNode Left, ExprNode Right) : ExprNode(Offset);

public sealed record CallNode(int Offset, string Name, IReadOnlyList<ExprNode> Arguments) : ExprNode(Offset);

internal enum TokenKind { Number, Identifier, String, Operator, LeftParen, RightParen, Comma, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Offset, decimal Number = 0m)
{
    public bool IsKeyword(string word) => Kind == TokenKind.Identifier && Text == word;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;
}

/// <summary>Splits an expression into tokens: one small reader per kind of token, symbols from one table.</summary>
internal sealed class ExpressionTokenizer
{
    // Longest spellings first, so "<=" wins over "<". Each spelling maps to the operator the parser knows.
    private static readonly (string Spelling, TokenKind Kind, string Text)[] Symbols =
    [
        ("<=", TokenKind.Operator, "<="),
        (">=", TokenKind.Operator, ">="),
        ("<>", TokenKind.Operator, "!="),
        ("!=", TokenKind.Operator, "!="),
        ("==", TokenKind.Operator, "="),
        ("=", TokenKind.Operator, "="),
        ("<", TokenKind.Operator, "<"),
        (">", TokenKind.Operator, ">"),
        ("+", TokenKind.Operator, "+"),
        ("-", TokenKind.Operator, "-"),
        ("*", TokenKind.Operator, "*"),
        ("/", TokenKind.Operator, "/"),
        ("(", TokenKind.LeftParen, "("),
        (")", TokenKind.RightParen, ")"),
        (",", TokenKind.Comma, ","),
    ];

    private readonly string _text;
    private int _position;

    private ExpressionTokenizer(string text) => _text = text;

    public static List<Token> Tokenize(string text) => new ExpressionTokenizer(text).ReadAll();

    private List<Token> ReadAll()
    {
        var tokens = new List<Token>();
        while (SkipWhiteSpace())
        {
            tokens.Add(ReadToken());
        }

        tokens.Add(new Token(TokenKind.End, "", _text.Length));
        return tokens;
    }

    private bool SkipWhiteSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }

        return _position < _text.Length;
    }

    private char Current => _text[_position];

    private bool At(Func<char, bool> test, int ahead = 0) =>
        _position + ahead < _text.Length && test(_text[_position + ahead]);

    private Token ReadToken()
    {
        var c = Current;
        if (char.IsAsciiDigit(c) || (c == '.' && At(char.IsAsciiDigit, 1)))
        {
            return ReadNumber();
        }

        if (IsKeyStart(c))
        {
            return ReadKey();
        }

        if (c is '\'' or '"')
        {
            return ReadString(c);
        }

        return ReadSymbol();
    }

    private static bool IsKeyStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private void SkipDigits()
    {
        while (At(char.IsAsciiDigit))
        {
            _position++;
        }
    }

    private Token ReadNumber()
    {
        var start = _position;
        SkipDigits();
        if (At(c => c == '.'))
        {
            _position++;
            if (!At(char.IsAsciiDigit))
            {
                throw new ExpressionSyntaxException(start, "A number must have digits after the decimal point, like 0.5.");
            }

            SkipDigits();
        }

        if (At(IsKeyStart))
        {
            throw new ExpressionSyntaxException(start, "A question key must start with a letter, not a number.");
        }

        var numberText = _text[start.._position];
        if (!decimal.TryParse(numberText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new ExpressionSyntaxException(start, $"'{numberText}' is too large a number.");
        }

        return new Token(TokenKind.Number, numberText, start, number);
    }

    private Token ReadKey()
    {
        var start = _position;
        while (At(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
        {
            _position++;
        }

        var name = _text[start.._position];
        if (name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ExpressionSyntaxException(start, $"'{name}' is not a valid key: use grid_key.row or grid_key.row.column.");
        }

        return new Token(TokenKind.Identifier, name, start);
    }

    /// <summary>Reads quoted text; the quote character doubled stands for itself.</summary>
    private Token ReadString(char quote)
    {
        var start = _position;
        _position++;
        var text = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new ExpressionSyntaxException(start, $"The text starting here has no closing quote ({quote}).");
            }

            if (Current != quote)
            {
                text.Append(Current);
                _position++;
            }
            else if (At(c => c == quote, 1))
            {
                text.Append(quote);
                _position += 2;
            }
            else
            {
                _position++;
                return new Token(TokenKind.String, text.ToString(), start);
            }
        }
    }

    private Token ReadSymbol()
    {
        var start = _position;
        foreach (var (spelling, kind, text) in Symbols)
        {
            if (string.CompareOrdinal(_text, _position, spelling, 0, spelling.Length) == 0)
            {
                _position += spelling.Length;
                return new Token(kind, text, start);
            }
        }

        throw new ExpressionSyntaxException(start, Current == '!'
            ? "'!' on its own is not allowed: use 'not' or '!='."
            : $"'{Current}' cannot be used in an expression.");
    }
}

internal sealed class ExpressionParser(string text)
{
    private static readonly HashSet<string> ComparisonOperators = ["=", "!=", "<", "<=", ">", ">="];
    private List<Token> _tokens = [];
    private int _position;

    private Token Current => _tokens[_position];

    public ExprNode ParseAll()
    {
        _tokens = ExpressionTokenizer.Tokenize(text);
        if (Current.Kind == TokenKind.End)
        {
            throw new ExpressionSyntaxException(0, "The expression is empty.");
        }

        var node = ParseOr();
        if (Current.Kind != TokenKind.End)
        {
            throw Current.Kind == TokenKind.RightParen
                ? new ExpressionSyntaxException(Current.Offset, "There is a closing bracket ')' without an opening one.")
                : new ExpressionSyntaxException(Current.Offset, $"Expected 'and', 'or' or an operator before '{Current.Text}'.");
        }

        return node;
    }

    private ExprNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("or"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, "or", left, ParseAnd());
        }

        return left;
    }

    private ExprNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("and"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, "and", left, ParseNot());
        }

        return left;
    }

    private ExprNode ParseNot()
    {
        if (Current.IsKeyword("not"))
        {
            var op = Next();
            return new UnaryNode(op.Offset, "not", ParseNot());
        }

        return ParseComparison();
    }

    private ExprNode ParseComparison()
    {
        var left = ParseAdditive();
        if (Current.Kind == TokenKind.Operator && ComparisonOperators.Contains(Current.Text))
        {
            var op = Next();
            var right = ParseAdditive();
            if (Current.Kind == TokenKind.Operator && ComparisonOperators.Contains(Current.Text))
            {
                throw new ExpressionSyntaxException(Current.Offset, "Two comparisons cannot be chained: join them with 'and'.");
            }

            return new BinaryNode(op.Offset, op.Text, left, right);
        }

        return left;
    }

    private ExprNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, op.Text, left, ParseMultiplicative());
        }

        return left;
    }

    private ExprNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.IsOperator("*") || Current.IsOperator("/"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, op.Text, left, ParseUnary());
        }

        return left;
    }

    private ExprNode ParseUnary()
    {
        if (Current.IsOperator("-"))
        {
            var op = Next();
            return new UnaryNode(op.Offset, "-", ParseUnary());
        }

        if (Current.IsOperator("+"))
        {
            Next();
            return ParseUnary();
        }

        return ParsePrimary();
    }

    private ExprNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Next();
                return new NumberNode(token.Offset, token.Number);
            case TokenKind.String:
                Next();
                return new StringNode(token.Offset, token.Text);
            case TokenKind.LeftParen:
                Next();
                var inner = ParseOr();
                Expect(TokenKind.RightParen, token.Offset);
                return inner;
            case TokenKind.Identifier when token.Text is "and" or "or":
                throw new ExpressionSyntaxException(token.Offset, $"Expected a value before '{token.Text}'.");
            case TokenKind.Identifier:
                Next();
                if (Current.Kind == TokenKind.LeftParen)
                {
                    if (!Expression.FunctionNames.Contains(token.Text))
                    {
                        throw new ExpressionSyntaxException(
                            token.Offset,
                            $"'{token.Text}' is not a function. Functions you can use: {string.Join(", ", Expression.FunctionNames)}.");
                    }

                    var open = Next();
                    var args = new List<ExprNode>();
                    if (Current.Kind != TokenKind.RightParen)
                    {
                        args.Add(ParseOr());
                        while (Current.Kind == TokenKind.Comma)
                        {
                            Next();
                            args.Add(ParseOr());
                        }
                    }

                    Expect(TokenKind.RightParen, open.Offset);
                    return new CallNode(token.Offset, token.Text, args);
                }

                return new ItemNode(token.Offset, token.Text);
            case TokenKind.End:
                throw new ExpressionSyntaxException(token.Offset, "The expression ends too early: a value is missing at the end.");
            default:
                throw new ExpressionSyntaxException(token.Offset, $"Expected a number, a question key or '(' but found '{token.Text}'.");
        }
    }

    private void Expect(TokenKind kind, int openOffset)
    {
        if (Current.Kind != kind)
        {
            throw new ExpressionSyntaxException(
                Current.Kind == TokenKind.End ? openOffset : Current.Offset,
                Current.Kind == TokenKind.End
                    ? "This bracket '(' is never closed: add ')'."
                    : $"Expected ')' or ',' but found '{Current.Text}'.");
        }

        Next();
    }

    private Token Next()
    {
        var token = Current;
        if (_position < _tokens.Count - 1)
        {
            _position++;
        }

        return token;
    }
}
