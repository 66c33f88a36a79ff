namespace Waymark.Definitions.Predicates;

/// <summary>
/// The eight classic RFM classes (canvas.md): recency, frequency and monetary value each high (↑) or low
/// (↓) against the workspace mean. <see cref="PredicateNames"/> gives the JSON spelling (<c>important_value</c>).
/// </summary>
public enum RfmClass
{
    /// <summary>R↑ F↑ M↑.</summary>
    ImportantValue,

    /// <summary>R↑ F↓ M↑.</summary>
    ImportantDevelop,

    /// <summary>R↓ F↑ M↑.</summary>
    ImportantKeep,

    /// <summary>R↓ F↓ M↑.</summary>
    ImportantRetain,

    /// <summary>R↑ F↑ M↓.</summary>
    GeneralValue,

    /// <summary>R↑ F↓ M↓.</summary>
    GeneralDevelop,

    /// <summary>R↓ F↑ M↓.</summary>
    GeneralKeep,

    /// <summary>R↓ F↓ M↓.</summary>
    GeneralRetain,
}
