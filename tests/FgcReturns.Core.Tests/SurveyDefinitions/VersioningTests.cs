using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Tests.SurveyDefinitions;

public class VersioningTests
{
    [Fact]
    public void Compare_Fgc10To11_ReportsTheRealChanges()
    {
        var changes = DefinitionDiff.Compare(TestDefinitions.Fgc10, TestDefinitions.Fgc11);

        changes.ItemsRenamed.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            r => r.Key.ShouldBe("initial_fgcs_held"),
            r => r.OldKey.ShouldBe("fgcs_held"));
        changes.ItemsAdded.ShouldContain("referrals_not_viable");
        changes.ItemsAdded.ShouldContain("fgdm_applications");
        changes.ItemsRemoved.ShouldBeEmpty();
        changes.ItemsChanged.ShouldContain(c => c.Key == "plans_agreed" && c.Changes.Contains("label"));
        changes.SectionsAdded.ShouldBe(["fgdm_before_proceedings"]);
        changes.SectionsRemoved.ShouldBeEmpty();
        changes.RulesAdded.ShouldBe(["E10", "E11", "E12", "Q06", "Q07", "P01", "P02", "P03"]);
        changes.RulesRemoved.ShouldBeEmpty();
        changes.RulesChanged.ShouldContain(r => r.Id == "E05" && r.Changes.Contains("assert"));
        changes.IndicatorsAdded.ShouldBe(["fgdm_offer_rate", "fgdm_held_rate", "offer_rate"]);
        changes.IndicatorsChanged.ShouldContain(i => i.Id == "conversion_rate" && i.Changes.Contains("numerator"));
    }

    [Fact]
    public void Compare_SameVersion_IsEmpty()
    {
        DefinitionDiff.Compare(TestDefinitions.Fgc10, TestDefinitions.Fgc10).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Translate_Fgc10ReturnTo11_RenamesFgcsHeldAndKeepsTheRest()
    {
        var values = ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "36").NotRecorded("review_fgcs_held").Build();

        var translated = VersionMapping.Translate(TestDefinitions.Fgc10, TestDefinitions.Fgc11, values);

        translated["initial_fgcs_held"].ShouldBe("36");
        translated.ContainsKey("fgcs_held").ShouldBeFalse();
        translated.ContainsKey("referrals_not_viable").ShouldBeFalse();
        translated.ContainsKey("review_fgcs_held").ShouldBeTrue();
        translated["review_fgcs_held"].ShouldBeNull();
        translated["children_by_age.under_1"].ShouldBe("5");
        translated.Count.ShouldBe(values.Count);
    }

    [Fact]
    public void Translate_Fgc11ReturnBackTo10_RestoresOldKey()
    {
        var translated = VersionMapping.Translate(TestDefinitions.Fgc11, TestDefinitions.Fgc10, ReturnValuesBuilder.ValidFgc11().Build());

        translated["fgcs_held"].ShouldBe("36");
        translated.ContainsKey("fgdm_offered").ShouldBeFalse();
    }

    [Fact]
    public void SourceKey_RenamedAndUnchangedAndNewItems_GivesTheOldKey()
    {
        VersionMapping.SourceKey(TestDefinitions.Fgc10, TestDefinitions.Fgc11, "initial_fgcs_held").ShouldBe("fgcs_held");
        VersionMapping.SourceKey(TestDefinitions.Fgc10, TestDefinitions.Fgc11, "families_offered").ShouldBe("families_offered");
        VersionMapping.SourceKey(TestDefinitions.Fgc10, TestDefinitions.Fgc11, "referrals_not_viable").ShouldBeNull();
        VersionMapping.SourceKey(TestDefinitions.Fgc10, TestDefinitions.Fgc11, "no_such_key").ShouldBeNull();
    }

    [Fact]
    public void Validate_Fgc11WithTranslatedPrevious10Return_UsesRenamedItemForQ02()
    {
        var previous = VersionMapping.Translate(TestDefinitions.Fgc10, TestDefinitions.Fgc11, ReturnValuesBuilder.ValidFgc10().With("fgcs_held", "100").Build());

        var result = FgcReturns.Core.Validation.ValidationEngine.Validate(TestDefinitions.Fgc11, ReturnValuesBuilder.ValidFgc11().Build(), previous);

        result.Issues.Select(i => i.RuleId).ShouldBe(["Q02"]);
    }

    [Fact]
    public void FindChangedPublished_PublishedFileChanged_NamesTheFile()
    {
        var definition = TestDefinitions.Fgc10;
        var recorded = new Dictionary<(string SurveyId, string Version), string> { [("fgc-annual", "1.0")] = new string('0', 64) };

        var problem = PublishedDefinitionGuard.FindChangedPublished(TestDefinitions.RealResult.Definitions, recorded).ShouldHaveSingleItem();

        problem.File.ShouldBe(definition.SourcePath);
        problem.Message.ShouldContain("Version 1.0 of 'fgc-annual' is published, but this file has changed since it was published");
    }

    [Fact]
    public void FindChangedPublished_UnchangedOrDraftOrUnrecorded_GivesNoProblems()
    {
        var recorded = new Dictionary<(string SurveyId, string Version), string>
        {
            [("fgc-annual", "1.0")] = TestDefinitions.Fgc10.ContentHash,
            [("fgc-annual", "1.1")] = new string('0', 64),
        };

        PublishedDefinitionGuard.FindChangedPublished(TestDefinitions.RealResult.Definitions, recorded).ShouldBeEmpty();
        PublishedDefinitionGuard.FindChangedPublished(TestDefinitions.RealResult.Definitions, new Dictionary<(string, string), string>()).ShouldBeEmpty();
    }

    [Fact]
    public void ContentHash_RealFile_IsHashOfNormalisedBytes()
    {
        var text = File.ReadAllText(TestDefinitions.Fgc10.SourcePath).Replace("\n", "\r\n", StringComparison.Ordinal);

        SurveyDefinitionLoader.ComputeHash(text).ShouldBe(TestDefinitions.Fgc10.ContentHash);
    }

    [Fact]
    public void AddSurveyDefinitions_ResolvesCatalogWithBothVersions()
    {
        using var provider = new ServiceCollection().AddSurveyDefinitions(TestDefinitions.DefinitionsFolder).BuildServiceProvider();

        var catalog = provider.GetRequiredService<SurveyDefinitionCatalog>();

        catalog.ShouldBeSameAs(provider.GetRequiredService<SurveyDefinitionCatalog>());
        catalog.Problems.ShouldBeEmpty();
        catalog.Get("fgc-annual", "1.1")!.Status.ShouldBe(DefinitionStatus.Draft);
        catalog.Get("fgc-annual", "1.0.0")!.Version.ShouldBe("1.0");
        catalog.Latest("fgc-annual")!.Version.ShouldBe("1.0");
        catalog.Latest("fgc-annual", publishedOnly: false)!.Version.ShouldBe("1.1");
        catalog.Get("fgc-annual", "2.0").ShouldBeNull();
    }

    [Fact]
    public void Indicator_Compute_UsesMultiplierAndPopulation()
    {
        var values = ReturnValuesBuilder.ValidFgc10().Build();

        TestDefinitions.Fgc10.FindIndicator("acceptance_rate")!.Compute(values).ShouldBe(80m);
        TestDefinitions.Fgc10.FindIndicator("referral_rate_per_10k")!.Compute(values, 40000m).ShouldBe(30m);
        TestDefinitions.Fgc10.FindIndicator("referral_rate_per_10k")!.Compute(values).ShouldBeNull();
        TestDefinitions.Fgc10.FindIndicator("acceptance_rate")!.Compute(ReturnValuesBuilder.ValidFgc10().With("families_offered", "0").Build()).ShouldBeNull();
    }
}
