namespace Waymark.Definitions.Validation;

/// <summary>The outcome of reading a definition: the typed value when there were no problems, else every problem.</summary>
public sealed class Parsed<T> where T : class
{
    internal Parsed(T? value, IReadOnlyList<DefinitionProblem> problems)
    {
        Value = value;
        Problems = problems;
    }

    /// <summary>The definition; null exactly when <see cref="Problems"/> is not empty.</summary>
    public T? Value { get; }

    public IReadOnlyList<DefinitionProblem> Problems { get; }

    public bool IsValid => Problems.Count == 0;
}

public static class Parsed
{
    /// <summary>The value when no problem was found, else the problems (never a half-read value).</summary>
    public static Parsed<T> From<T>(T? value, Problems problems) where T : class =>
        problems.Any || value is null
            ? new Parsed<T>(null, problems.Any ? problems.All : [new DefinitionProblem(JsonPath.Root, "is not a valid definition")])
            : new Parsed<T>(value, []);
}
