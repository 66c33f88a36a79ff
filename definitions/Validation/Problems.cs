namespace Waymark.Definitions.Validation;

/// <summary>
/// Collects every problem found while reading a definition, so a designer sees them all at once rather
/// than fixing one per round trip.
/// </summary>
public sealed class Problems
{
    private readonly List<DefinitionProblem> _all = [];

    public IReadOnlyList<DefinitionProblem> All => _all;

    public bool Any => _all.Count > 0;

    public int Count => _all.Count;

    public void Add(string path, string message) => _all.Add(new DefinitionProblem(path, message));
}
