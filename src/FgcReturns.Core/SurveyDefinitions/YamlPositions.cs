using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>Where text inside a YAML scalar sits in the file, so a problem in an expression points at its own line and column.</summary>
internal sealed partial class DefinitionFileParser
{
    /// <summary>Line and column (1-based) of the character at <paramref name="offset"/> in the scalar's value.</summary>
    private Mark Locate(YamlScalarNode node, int offset)
    {
        var line = (int)node.Start.Line - 1;
        var column = (int)node.Start.Column - 1;
        var value = node.Value ?? "";
        var style = node.Style;
        if (style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            line++;
            while (line < _lines.Length && _lines[line].Trim().Length == 0)
            {
                line++;
            }

            column = line < _lines.Length ? Indent(_lines[line]) : 0;
        }
        else if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            column++;
        }

        for (var i = 0; i < offset && i < value.Length && line < _lines.Length; i++)
        {
            var raw = _lines[line];
            var rest = column < raw.Length ? raw[column..] : "";
            if ((value[i] is ' ' or '\n') && (rest.Trim().Length == 0 || (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && rest.Trim() is "'" or "\"")) && line + 1 < _lines.Length && rest.TrimStart() is not ['\'', '\'', ..])
            {
                if (rest.Length > 0 && rest[0] == ' ' && rest.Trim().Length > 0)
                {
                    column++;
                    continue;
                }

                line++;
                column = Indent(_lines[line]);
                continue;
            }

            if (style == ScalarStyle.SingleQuoted && rest.StartsWith("''", StringComparison.Ordinal))
            {
                column += 2;
            }
            else if (style == ScalarStyle.DoubleQuoted && rest.StartsWith('\\'))
            {
                column += 2;
            }
            else
            {
                column++;
            }
        }

        return new Mark(0, line + 1, column + 1);
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;
}
