namespace FgcReturns.Core.Tests;

public sealed class OutcomeTests
{
    [Fact]
    public void Refused_TwoProblems_KeepsEachWithItsFieldAndJoinsTheWords()
    {
        // Act
        var outcome = Outcome.Refused(new Problem("name", "Enter a name"), Problem.General("The deadline has passed."));

        // Assert
        outcome.Succeeded.ShouldBeFalse();
        outcome.Status.ShouldBe(OutcomeStatus.Refused);
        outcome.ProblemFor("name").ShouldBe("Enter a name");
        outcome.ProblemFor("").ShouldBe("The deadline has passed.");
        outcome.ProblemFor("other").ShouldBeNull();
        outcome.Message.ShouldBe("Enter a name The deadline has passed.");
    }

    [Fact]
    public void Done_WithValue_SucceedsAndCarriesItWithNoMessage()
    {
        // Act
        var outcome = Outcome.Done("user-1");

        // Assert
        outcome.Succeeded.ShouldBeTrue();
        outcome.Value.ShouldBe("user-1");
        outcome.Problems.ShouldBeEmpty();
        outcome.Message.ShouldBeNull();
        Outcome.Done().Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void As_AFailure_KeepsStatusAndProblemsWithNoValue()
    {
        // Act
        var outcome = Outcome.NotFound("Collection not found", "collection").As<string>();

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.NotFound);
        outcome.Value.ShouldBeNull();
        outcome.Problems.ShouldHaveSingleItem().ShouldBe(new Problem("collection", "Collection not found"));
    }

    [Fact]
    public void Busy_IsAboutNoField()
    {
        // Act
        var outcome = Outcome.Busy("Many people are saving this return at the same moment.");

        // Assert
        outcome.Status.ShouldBe(OutcomeStatus.Busy);
        outcome.Problems.ShouldHaveSingleItem().Field.ShouldBe("");
    }
}
