using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>The <c>rules</c> block: expression rules (the <c>peer_range</c> kind is read in PeerRangeParsing.cs).</summary>
internal sealed partial class DefinitionFileParser
{
    private static readonly string[] RuleFields = ["id", "severity", "assert", "message", "items", "when_not_recorded", "peer_range"];

    private List<ValidationRule> ParseRules(YamlMappingNode root, Func<string, Question?> lookup, IReadOnlyList<Indicator> indicators)
    {
        var result = new List<ValidationRule>();
        var node = Node(root, "rules");
        if (node is null)
        {
            return result;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Add(node.Start, "'rules' must be a list of rules, each starting with '- id:'.");
            return result;
        }

        var ids = new Dictionary<string, Mark>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in sequence.Children)
        {
            index++;
            if (item is not YamlMappingNode map)
            {
                Add(item.Start, $"Rule {index} must have fields such as id, severity, assert and message.");
                continue;
            }

            CheckFields(map, RuleFields, "a rule");
            var what = $"Rule {index}";
            var id = RequiredText(map, "id", what);
            if (id is not null)
            {
                what = $"Rule {id}";
                var idMark = Node(map, "id")!.Start;
                if (!SurveyDefinitionLoader.RuleIdPattern().IsMatch(id))
                {
                    Add(idMark, $"The rule id '{id}' must be capital letters then digits, like E01 or Q01.");
                }
                else if (ids.TryGetValue(id, out var first))
                {
                    Add(idMark, $"The rule id '{id}' is used twice (first on line {first.Line}): rule ids must be unique.");
                }
                else
                {
                    ids[id] = idMark;
                }
            }

            var severity = Enum(map, "severity", what, ["error", "query"], required: true);
            if (Has(map, "peer_range") is true)
            {
                if (ParsePeerRule(map, what, id, severity, lookup, indicators) is { } peerRule)
                {
                    result.Add(peerRule);
                }

                continue;
            }

            var assert = RequiredText(map, "assert", what);
            var message = RequiredText(map, "message", what);
            var whenNotRecorded = Enum(map, "when_not_recorded", what, ["skip", "evaluate"], required: false);
            var items = TextList(map, "items", what);

            Expression? expression = null;
            if (assert is not null)
            {
                var assertNode = (YamlScalarNode)Node(map, "assert")!;
                if (!Expression.TryParse(assert, out expression, out var syntaxError))
                {
                    Add(Locate(assertNode, syntaxError!.Offset), $"{what} has a mistake in its 'assert' expression: {syntaxError.Message}");
                }
                else
                {
                    foreach (var error in expression!.TypeCheck(lookup))
                    {
                        var joiner = error.Message.StartsWith("refers to", StringComparison.Ordinal) ? " " : ": ";
                        Add(Locate(assertNode, error.Offset), what + joiner + error.Message);
                    }
                }
            }

            if (items is not null)
            {
                foreach (var (itemKey, mark) in items)
                {
                    if (lookup(itemKey) is null)
                    {
                        Add(mark, $"{what} lists '{itemKey}' in 'items', which is not a question in this survey.");
                    }
                }
            }

            if (message is not null)
            {
                var messageNode = (YamlScalarNode)Node(map, "message")!;
                foreach (Match match in SurveyDefinitionLoader.Placeholder().Matches(message))
                {
                    var key = match.Groups["key"].Value;
                    if (ItemTarget.Resolve(key, lookup, out _) is null)
                    {
                        Add(Locate(messageNode, match.Index),
                            $"{what} has '{{{match.Groups["prefix"].Value}{key}}}' in its message, but '{key}' is not a question in this survey.");
                    }
                }
            }

            if (id is not null && severity is not null && assert is not null && message is not null && expression is not null)
            {
                result.Add(new ValidationRule
                {
                    Id = id,
                    Severity = severity == "query" ? Severity.Query : Severity.Error,
                    Assert = assert,
                    Message = message,
                    ItemKeys = items?.Select(i => i.Key).ToList() ?? [.. expression.ReferencedKeys],
                    WhenNotRecorded = whenNotRecorded == "evaluate" ? NotRecordedHandling.Evaluate : NotRecordedHandling.Skip,
                    Expression = expression,
                });
            }
        }

        return result;
    }
}
