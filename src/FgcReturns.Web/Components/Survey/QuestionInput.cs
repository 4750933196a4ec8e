using FgcReturns.Core.SurveyDefinitions;
using Microsoft.AspNetCore.Components;

namespace FgcReturns.Web.Components.Survey;

/// <summary>
/// The input of one question type, drawn inside its <see cref="QuestionField"/>, which holds the answers, what the
/// person changed, the errors and the hints. Every id and name comes from the question key.
/// </summary>
public abstract class QuestionInput : ComponentBase
{
    [Parameter, EditorRequired] public QuestionField Field { get; set; } = default!;

    protected Question Question => Field.Question;

    /// <summary>The input's id and name: the question key, dots as dashes.</summary>
    protected string Id => QuestionField.InputId(Question.Key);
}
