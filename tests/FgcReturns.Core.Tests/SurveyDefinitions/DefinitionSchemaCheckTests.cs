using FgcReturns.Core.SurveyDefinitions;
using Json.Schema;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

public class DefinitionSchemaCheckTests
{
    private static readonly string SchemaPath = Path.Combine(TestDefinitions.DefinitionsFolder, DefinitionSchemaCheck.SchemaFileName);

    private static JsonSchema RealSchema()
    {
        var (schema, problem) = DefinitionSchemaCheck.ReadSchema(SchemaPath, File.ReadAllText(SchemaPath));
        problem.ShouldBeNull();
        return schema!;
    }

    [Fact]
    public void Check_RealDefinitions_MatchTheEditorsSchema()
    {
        var schema = RealSchema();

        foreach (var file in Directory.EnumerateFiles(TestDefinitions.DefinitionsFolder, "*.yaml", SearchOption.AllDirectories))
        {
            DefinitionSchemaCheck.Check(schema, file, File.ReadAllText(file)).ShouldBeEmpty(file);
        }
    }

    [Fact]
    public void Check_SmallDefinition_MatchesTheSchema()
    {
        DefinitionSchemaCheck.Check(RealSchema(), TestDefinitions.SmallPath, TestDefinitions.Small).ShouldBeEmpty();
    }

    [Fact]
    public void Check_UnquotedVersion_ReportedAtItsLineAndColumn()
    {
        // version: 1.0 unquoted is a number in YAML; the schema asks for text so that 1.10 is not read as 1.1.
        var text = TestDefinitions.Small.Replace("version: \"1.0\"", "version: 1.0", StringComparison.Ordinal);

        var problems = DefinitionSchemaCheck.Check(RealSchema(), "fgc/1.0.yaml", text);

        var problem = problems.ShouldHaveSingleItem();
        problem.Line.ShouldBe(2);
        problem.Column.ShouldBe(10);
        problem.Message.ShouldStartWith("'version' does not match survey-definition.schema.json:");
    }

    [Fact]
    public void Check_UnknownQuestionType_ReportsOnlyTheDeepestPlace()
    {
        var small = TestDefinitions.Small;
        var at = small.IndexOf("type: count", StringComparison.Ordinal);
        var text = string.Concat(small.AsSpan(0, at), "type: counts", small.AsSpan(at + "type: count".Length));

        var problems = DefinitionSchemaCheck.Check(RealSchema(), "fgc/1.0.yaml", text);

        problems.ShouldNotBeEmpty();
        problems.ShouldAllBe(p => p.Message.Contains("sections.0.questions.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NotYaml_LeavesItToTheLoader()
    {
        DefinitionSchemaCheck.Check(RealSchema(), "broken.yaml", "sections: [unclosed").ShouldBeEmpty();
    }

    [Fact]
    public void ReadSchema_NotJson_ReportsTheSchemaFile()
    {
        var (schema, problem) = DefinitionSchemaCheck.ReadSchema("survey-definition.schema.json", "{ not json");

        schema.ShouldBeNull();
        problem!.File.ShouldBe("survey-definition.schema.json");
        problem.Message.ShouldStartWith("The schema is not a valid JSON Schema");
    }

    [Fact]
    public void LoadFolder_SchemaRejectsAFileTheLoaderAccepts_FileLeftOutWithItsProblem()
    {
        var folder = Directory.CreateTempSubdirectory("fgc-schema-").FullName;
        try
        {
            // A schema that has drifted from the loader: it demands a field the loader does not know.
            File.WriteAllText(Path.Combine(folder, DefinitionSchemaCheck.SchemaFileName),
                """{ "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["owner"] }""");
            Directory.CreateDirectory(Path.Combine(folder, "test-survey"));
            File.WriteAllText(Path.Combine(folder, "test-survey", "1.0.yaml"), TestDefinitions.Small);

            var result = SurveyDefinitionLoader.LoadFolder(folder);

            result.Definitions.ShouldBeEmpty();
            var problem = result.Problems.ShouldHaveSingleItem();
            problem.Message.ShouldContain("does not match survey-definition.schema.json");
            problem.Message.ShouldContain("owner");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
