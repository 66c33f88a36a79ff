namespace Waymark.Storage.Sql;

/// <summary>What every database stores intact in a text column, checked before a value can share a batch with
/// other callers' values and fail, or break the connection of, their writes.</summary>
internal static class StoredText
{
    /// <summary>Why <paramref name="value"/> cannot be stored in <paramref name="field"/>, or null when it can. PostgreSQL
    /// refuses NUL in text, and a lone surrogate has no UTF-8 form: Npgsql throws in the middle of a COPY, SQLite stores
    /// a replacement character.</summary>
    public static string? Problem(string? value, int maxLength, string field) =>
        string.IsNullOrEmpty(value) ? $"{field} is empty."
        : value.Length > maxLength ? $"{field} has {value.Length} characters, more than {maxLength}."
        : value.Contains('\0', StringComparison.Ordinal) ? $"{field} contains a NUL character."
        : !IsWellFormed(value) ? $"{field} contains a lone surrogate."
        : null;

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        int i;
        while ((i = text.IndexOfAnyInRange('\uD800', '\uDFFF')) >= 0)
        {
            if (i + 1 == text.Length || !char.IsSurrogatePair(text[i], text[i + 1]))
            {
                return false;
            }

            text = text[(i + 2)..];
        }

        return true;
    }
}
