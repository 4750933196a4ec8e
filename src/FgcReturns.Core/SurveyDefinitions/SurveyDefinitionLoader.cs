using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FgcReturns.Core.SurveyDefinitions;

/// <summary>
/// Loads survey definition YAML files and checks them. Every problem is returned (not only the first),
/// with the file, line and column it is about. A definition whose file has any problem is left out of
/// <see cref="DefinitionLoadResult.Definitions"/>, so the portal never uses a broken definition.
/// </summary>
public static partial class SurveyDefinitionLoader
{
    /// <summary>Loads every *.yaml (and *.yml) file under the folder, recursively, and checks them together.</summary>
    public static DefinitionLoadResult LoadFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return new DefinitionLoadResult([], [new DefinitionProblem(folder, 0, 0, $"The folder '{folder}' does not exist.")]);
        }

        var files = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f)))
            .ToList();
        var schemaPath = Path.Combine(folder, DefinitionSchemaCheck.SchemaFileName);
        if (!File.Exists(schemaPath))
        {
            return LoadTexts(files);
        }

        // The editors' schema sits beside the surveys: every file must satisfy it as well as the checker.
        var (schema, schemaProblem) = DefinitionSchemaCheck.ReadSchema(schemaPath, File.ReadAllText(schemaPath));
        var schemaProblems = schema is null
            ? [schemaProblem!]
            : files.SelectMany(f => DefinitionSchemaCheck.Check(schema, f.f, Normalise(f.Item2))).ToList();
        return Load(files, crossFile: true, schemaProblems);
    }

    /// <summary>Loads and checks one file on its own (cross-version checks need <see cref="LoadFolder"/>).</summary>
    public static DefinitionLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LoadText(path, File.ReadAllText(path));
    }

    /// <summary>Loads and checks one file's text; <paramref name="path"/> is used for messages and the file-name check.</summary>
    public static DefinitionLoadResult LoadText(string path, string text) => Load([(path, text)], crossFile: false);

    /// <summary>Loads several files' text and checks them together, as <see cref="LoadFolder"/> does.</summary>
    public static DefinitionLoadResult LoadTexts(IEnumerable<(string Path, string Text)> files) => Load(files, crossFile: true);

    /// <summary>SHA-256 (lower-case hex) of the text as UTF-8, with line endings normalised to \n and no byte order mark.</summary>
    public static string ComputeHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = Normalise(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    private static string Normalise(string text) =>
        text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static DefinitionLoadResult Load(
        IEnumerable<(string Path, string Text)> files, bool crossFile, IReadOnlyList<DefinitionProblem>? schemaProblems = null)
    {
        var parsed = files.Select(f => new DefinitionFileParser(f.Path, Normalise(f.Text)).Parse()).ToList();
        var problems = parsed.SelectMany(p => p.Problems).ToList();
        problems.AddRange(schemaProblems ?? []);
        if (crossFile)
        {
            problems.AddRange(CrossFileChecks(parsed));
        }

        var failed = problems.Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        var definitions = parsed
            .Where(p => p.Definition is not null && !failed.Contains(p.Path))
            .Select(p => p.Definition!)
            .OrderBy(d => d.SurveyId, StringComparer.Ordinal)
            .ThenBy(d => d.SemanticVersion)
            .ToList();
        var ordered = problems
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line)
            .ThenBy(p => p.Column)
            .ToList();
        return new DefinitionLoadResult(definitions, ordered);
    }

    private static List<DefinitionProblem> CrossFileChecks(List<ParsedFile> parsed)
    {
        var problems = new List<DefinitionProblem>();
        var usable = parsed.Where(p => p.Definition is not null).ToList();

        // Survey id consistent within a folder.
        foreach (var folder in usable.GroupBy(p => Path.GetDirectoryName(p.Path) ?? "", StringComparer.Ordinal))
        {
            var first = folder.First();
            foreach (var other in folder.Skip(1).Where(o => o.Definition!.SurveyId != first.Definition!.SurveyId))
            {
                problems.Add(other.Problem(other.SurveyIdMark,
                    $"The survey id '{other.Definition!.SurveyId}' does not match '{first.Definition!.SurveyId}' in {Path.GetFileName(first.Path)}: every file in a folder must be a version of the same survey."));
            }
        }

        foreach (var survey in usable.GroupBy(p => p.Definition!.SurveyId, StringComparer.Ordinal))
        {
            var versions = survey.OrderBy(p => p.Definition!.SemanticVersion).ThenBy(p => p.Path, StringComparer.Ordinal).ToList();
            for (var i = 1; i < versions.Count; i++)
            {
                if (versions[i].Definition!.SemanticVersion.CompareTo(versions[i - 1].Definition!.SemanticVersion) == 0)
                {
                    problems.Add(versions[i].Problem(versions[i].VersionMark,
                        $"Version {versions[i].Definition!.Version} of '{survey.Key}' is defined twice: also in {versions[i - 1].Path}."));
                }
            }

            var published = versions.Where(v => v.Definition!.Status == DefinitionStatus.Published).ToList();
            if (published.Count > 0)
            {
                var latestPublished = published[^1].Definition!;
                foreach (var draft in versions.Where(v => v.Definition!.Status == DefinitionStatus.Draft
                             && v.Definition.SemanticVersion < latestPublished.SemanticVersion))
                {
                    problems.Add(draft.Problem(draft.VersionMark,
                        $"Version {draft.Definition!.Version} is a draft but version {latestPublished.Version} is already published: a new version must be higher than every published one."));
                }
            }

            foreach (var file in versions)
            {
                foreach (var (mapping, question, mark) in file.Mappings)
                {
                    var target = versions.FirstOrDefault(v => v.Definition!.Version == mapping.Version
                        || (SemanticVersion.TryParse(mapping.Version, out var mv) && v.Definition!.SemanticVersion.CompareTo(mv) == 0));
                    if (target is null)
                    {
                        problems.Add(file.Problem(mark,
                            $"Question '{question}' is mapped from version {mapping.Version}, but there is no version {mapping.Version} of '{survey.Key}'."));
                    }
                    else if (target.Definition!.FindQuestion(mapping.Key) is null)
                    {
                        problems.Add(file.Problem(mark,
                            $"Question '{question}' is mapped from '{mapping.Key}' in version {mapping.Version}, but version {mapping.Version} has no question '{mapping.Key}'."));
                    }
                }
            }
        }

        return problems;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    internal static partial Regex SnakeCase();

    [GeneratedRegex("^[A-Z][A-Z0-9]*[0-9]$")]
    internal static partial Regex RuleIdPattern();

    [GeneratedRegex(@"\{(?<prefix>label:|previous:)?(?<key>[^{}]*)\}")]
    internal static partial Regex Placeholder();
}
