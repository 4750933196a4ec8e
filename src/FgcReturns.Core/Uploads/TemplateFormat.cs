using System.Text;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Uploads;

/// <summary>The layout shared by <see cref="ReturnTemplateWriter"/> and <see cref="ReturnUploadReader"/>.</summary>
public static class TemplateFormat
{
    /// <summary>Bump when the layout changes so that old templates are refused rather than misread.</summary>
    public const string FormatVersion = "1";

    public const string InstructionsSheet = "Instructions";
    public const string MetaSheet = "_meta";
    public const string ListsSheet = "_lists";

    /// <summary>What the template shows for an item the LA does not record (the reader accepts "NR" and other spellings too).</summary>
    public const string NotRecordedText = "Not recorded";

    /// <summary>The header of column A on every section sheet: how the reader tells a section sheet from a sheet the user added.</summary>
    public const string KeyHeader = "Item key (do not change)";

    public const int HeaderRow = 1;
    public const int KeyColumn = 1;
    public const int LabelColumn = 2;
    public const int UnitColumn = 3;
    public const int AnswerColumn = 4;
    public const int HelpColumn = 5;

    public static class MetaKeys
    {
        public const string FormatVersion = "template_format_version";
        public const string SurveyId = "survey_id";
        public const string DefinitionVersion = "definition_version";
        public const string DefinitionHash = "definition_content_hash";
        public const string LaCode = "la_code";
        public const string LaName = "la_name";
        public const string CollectionId = "collection_id";
        public const string CollectionTitle = "collection_title";
        public const string Period = "period";
        public const string GeneratedAt = "generated_at";
    }

    private const int MaxSheetName = 31;
    private static readonly char[] ForbiddenInSheetNames = ['[', ']', ':', '*', '?', '/', '\\'];

    /// <summary>One sheet name per section, in order: the title made legal for Excel (31 characters, no []:*?/\) and unique.</summary>
    public static IReadOnlyList<string> SectionSheetNames(SurveyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { InstructionsSheet, MetaSheet, ListsSheet };
        var names = new List<string>();
        foreach (var section in definition.Sections)
        {
            var name = SheetName(section.Title);
            if (name.Length == 0)
            {
                name = SheetName(section.Key);
            }

            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                var suffix = " (" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
                candidate = name[..Math.Min(name.Length, MaxSheetName - suffix.Length)].TrimEnd() + suffix;
            }

            names.Add(candidate);
        }

        return names;
    }

    /// <summary>A legal Excel sheet name from a title, cut at a word boundary where possible.</summary>
    public static string SheetName(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var builder = new StringBuilder(title.Length);
        foreach (var c in title)
        {
            builder.Append(Array.IndexOf(ForbiddenInSheetNames, c) >= 0 || char.IsControl(c) ? ' ' : c);
        }

        var name = string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim('\'', ' ');
        if (name.Length <= MaxSheetName)
        {
            return name;
        }

        var cut = name[..MaxSheetName];
        var space = cut.LastIndexOf(' ');
        return (space >= 15 ? cut[..space] : cut).Trim('\'', ' ');
    }
}
