using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>
/// Checks a survey definition file against <c>survey-definition.schema.json</c>, the schema that editors use,
/// so that the schema cannot drift from what the loader accepts: a file the schema rejects is a problem
/// with its line and column, like any other.
/// </summary>
public static partial class DefinitionSchemaCheck
{
    public const string SchemaFileName = "survey-definition.schema.json";

    /// <summary>Reads the schema; a schema that is not valid JSON Schema is reported as a problem of the schema file.</summary>
    public static (JsonSchema? Schema, DefinitionProblem? Problem) ReadSchema(string path, string schemaText)
    {
        ArgumentNullException.ThrowIfNull(schemaText);
        try
        {
            return (JsonSchema.FromText(schemaText), null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or JsonSchemaException or ArgumentException or InvalidOperationException)
        {
            return (null, new DefinitionProblem(path, 0, 0, $"The schema is not a valid JSON Schema: {e.Message}"));
        }
    }

    /// <summary>
    /// Every place where the file breaks the schema, deepest first and each place once. A file that is not YAML
    /// gives no schema problems: the loader reports that with its position.
    /// </summary>
    public static IReadOnlyList<DefinitionProblem> Check(JsonSchema schema, string path, string yamlText)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(yamlText);
        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yamlText));
            if (stream.Documents.Count == 0)
            {
                return [];
            }

            root = stream.Documents[0].RootNode;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return [];
        }

        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var instance = ToJson(root, "", marks);
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        if (results.IsValid)
        {
            return [];
        }

        var failures = new List<(string Location, string Keyword, string Value)>();
        CollectFailures(results, failures);

        // A failure under a oneOf/anyOf branch also fails every enclosing location: report only the deepest place.
        var deepest = failures
            .Where(f => !failures.Any(o => o.Location.Length > f.Location.Length && o.Location.StartsWith(f.Location + "/", StringComparison.Ordinal)))
            .GroupBy(f => f.Location, StringComparer.Ordinal)
            .Select(g => (Location: g.Key, Message: string.Join("; ", g.Select(f => f.Value).Distinct(StringComparer.Ordinal))));

        return deepest
            .Select(f =>
            {
                var mark = marks.TryGetValue(f.Location, out var m) ? m : Mark.Empty;
                var where = f.Location.Length == 0 ? "the survey definition" : Describe(f.Location);
                return new DefinitionProblem(path, (int)mark.Line, (int)mark.Column,
                    $"{where} does not match {SchemaFileName}: {f.Message}");
            })
            .ToList();
    }

    /// <summary>
    /// Errors only from nodes whose every ancestor failed too: a failing "if" or a non-matching oneOf branch
    /// under a node that passed is how the schema chooses, not a problem.
    /// </summary>
    private static void CollectFailures(EvaluationResults node, List<(string Location, string Keyword, string Value)> failures)
    {
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            failures.Add((node.InstanceLocation.ToString(), keyword, message));
        }

        foreach (var child in node.Details.Where(d => !d.IsValid))
        {
            CollectFailures(child, failures);
        }
    }

    private static string Describe(string pointer) =>
        "'" + string.Join('.', pointer.Trim('/').Split('/').Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))) + "'";

    /// <summary>
    /// YAML to JSON with YAML 1.2 core-schema typing of plain scalars (numbers, booleans, null); quoted scalars stay text.
    /// Records where each JSON pointer starts in the file, so problems carry a line and column.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node, string pointer, Dictionary<string, Mark> marks)
    {
        marks[pointer] = node.Start;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? "" : key.ToString();
                    if (!obj.ContainsKey(name))
                    {
                        obj[name] = ToJson(value, pointer + "/" + Escape(name), marks);
                    }
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(ToJson(sequence.Children[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), marks));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (FloatPattern().IsMatch(text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
