using System.Text.RegularExpressions;

namespace FgcReturns.Core.Tests.Architecture;

/// <summary>
/// The feature folders of FgcReturns.Core depend on each other in one direction. Data (the one DbContext over every
/// feature's entities) and the composition root may name any feature; a feature naming another that names it back, by
/// any path, is a cycle. A namespace belongs to the folder whose files declare it (Benchmarks/Exports declares
/// FgcReturns.Core.Exports), and a feature is named either in full (using lines, FgcReturns.Core.X) or relative to
/// FgcReturns.Core (X.Type). Cycles listed as debt are allowed: the test fails on any new one, on a listed one that grows,
/// and on a listed one that has gone (so the list is shortened as they are removed). Today the list is empty.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string[][] KnownCycles = [];

    [Fact]
    public void FeatureFolders_DependOnEachOther_OnlyInTheCyclesListedAsDebt()
    {
        // Arrange
        var graph = ReadDependencies(Path.Combine(FgcReturns.Core.Tests.Uploads.UploadTestSupport.RepoRoot(), "src", "FgcReturns.Core"));

        // Act
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => string.Join(", ", c.Order(StringComparer.Ordinal))).ToList();

        // Assert
        cycles.Order(StringComparer.Ordinal).ShouldBe(KnownCycles.Select(c => string.Join(", ", c)).Order(StringComparer.Ordinal),
            "Feature folders in a cycle (Data aside); break a new one, or shorten KnownCycles when one is gone.");
    }

    /// <summary>Feature folder to the feature folders its files name (in using lines, fully qualified or relative to Core).</summary>
    private static Dictionary<string, HashSet<string>> ReadDependencies(string core)
    {
        var features = Directory.GetDirectories(core).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal);
        var files = features.SelectMany(f => Directory.EnumerateFiles(Path.Combine(core, f), "*.cs", SearchOption.AllDirectories)
            .Select(path => (Feature: f, Text: File.ReadAllText(path)))).ToList();
        var folderOf = files
            .SelectMany(file => DeclaredNamespace().Matches(file.Text).Select(m => (Namespace: m.Groups[1].Value, file.Feature)))
            .ToLookup(d => d.Namespace, d => d.Feature, StringComparer.Ordinal);
        var graph = features.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (feature, text) in files.Where(f => f.Feature != "Data"))
        {
            foreach (Match named in NamedNamespace().Matches(text))
            {
                var name = named.Groups["full"].Success ? named.Groups["full"].Value : named.Groups["relative"].Value;
                foreach (var target in folderOf[name].Where(t => t != feature && t != "Data"))
                {
                    graph[feature].Add(target);
                }
            }
        }

        return graph;
    }

    /// <summary>Tarjan's strongly connected components: each set of features that reach one another.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var v in graph.Keys.Where(v => !index.ContainsKey(v)))
        {
            Visit(v);
        }

        return components;
    }

    [GeneratedRegex(@"^namespace FgcReturns\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex DeclaredNamespace();

    /// <summary>FgcReturns.Core.X in full, or X.Type (a name starting a qualified type name, relative to FgcReturns.Core).</summary>
    [GeneratedRegex(@"FgcReturns\.Core\.(?<full>\w+)|(?<![\w.])(?<relative>[A-Z]\w*)\.[A-Z]")]
    private static partial Regex NamedNamespace();
}
