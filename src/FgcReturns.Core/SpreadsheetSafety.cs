namespace FgcReturns.Core;

/// <summary>
/// Stops text from being read as a formula when a CSV or workbook is opened in a spreadsheet (CSV/formula injection):
/// text starting with =, +, -, @, tab or carriage return gets a leading apostrophe. Applied to every text cell that
/// comes from users or definitions, in every writer. Numbers are written as numbers and are not touched.
/// </summary>
public static class SpreadsheetSafety
{
    public static string Neutralise(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        return text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }
}
